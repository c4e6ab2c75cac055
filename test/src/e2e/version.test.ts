import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifeboat, repoRoot } from './cli.js';

describe('lifeboat --version', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lifeboat-version-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("prints the package's version and exits 0, as -V does too", async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'packages/tui/package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await lifeboat([flag], { home });
      expect(result.code, result.describe()).toBe(0);
      expect(result.stdout.trim()).toBe(`lifeboat ${pkg.version}`);
    }
  });
});
