/**
 * The demo's "what to try next" (issue 15): it says how to open the terminal UI and why 3-2-1 is not met, and
 * every command it suggests is one the built CLI accepts (each is run with --help, which checks its options).
 */
import { describe, expect, it } from 'vitest';
import { assertCliBuilt, lifeboat, makeTempDir, removeDir } from '../e2e/cli.js';
import { nextSteps } from './next-steps.js';

describe('the demo hints', () => {
  const lines = nextSteps('./demo-backup/home');

  it('say how to open the terminal UI and why 3-2-1 is not met', () => {
    expect(lines.join('\n')).toMatch(/LIFEBOAT_SECRETS=vault npm run --silent lifeboat\n/);
    expect(lines.join('\n')).toContain('Why "3-2-1 not met"');
    expect(lines.join('\n')).toContain('one medium');
  });

  it('suggest only commands the CLI accepts', async () => {
    assertCliBuilt();
    const suggested = lines
      .map((l) => /npm run --silent lifeboat -- (.+)$/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
    expect(suggested).toHaveLength(3);
    const home = await makeTempDir('lifeboat-demo-hints-');
    try {
      for (const command of suggested) {
        const result = await lifeboat([...command.split(' '), '--help'], { home });
        expect(result.code, result.describe()).toBe(0);
      }
    } finally {
      await removeDir(home);
    }
  });
});
