/**
 * The repo stands alone: a clone with nothing beside it builds, tests and demos. Nothing tracked may reach outside
 * the repo for the team's shared folder (its notes were rewritten into docs/, its recordings copied into
 * packages/icloud-sim/recorded).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|sh|md|yml|yaml)$|^\.ci\/run$/;

/** Tracked and new (not ignored) text files: what a clone gets. */
function trackedTextFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => TEXT.test(f) && !f.startsWith('packages/icloud-sim/recorded/') && existsSync(join(ROOT, f)));
}

describe('the repo stands alone', () => {
  it('no tracked file refers to the shared folder outside the repo', () => {
    const pattern = ['\\.\\./', 'shared/(fixtures|docs)|\\.\\./\\.\\./shared\\b'].join('');
    const outside = new RegExp(pattern);
    const hits = trackedTextFiles().flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (outside.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});
