import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError } from '../../errors/classes.js';
import { type CommitState, commitFile } from './commit-file.js';

function useTempDir(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifeboat-commit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** FAT and exFAT drives have no hard links: commit then checks for the key and renames. */
describe('commitFile without hard links', () => {
  const dir = useTempDir();

  async function tempWith(text: string): Promise<string> {
    const path = join(dir(), `${text}.part`);
    await writeFile(path, text);
    return path;
  }

  it('creates folders and moves the temp file into place', async () => {
    const state: CommitState = { hardLinks: false };
    const tempPath = await tempWith('one');
    const finalPath = join(dir(), 'a', 'b', 'one.txt');
    await commitFile({ root: dir(), key: 'a/b/one.txt', tempPath, finalPath, overwrite: false }, state);
    expect(await readFile(finalPath, 'utf8')).toBe('one');
    expect(await readdir(dir())).toEqual(['a']); // the temp file was moved, not copied
  });

  it('refuses an existing key and leaves it intact', async () => {
    const state: CommitState = { hardLinks: false };
    const finalPath = join(dir(), 'k.txt');
    await writeFile(finalPath, 'original');
    const request = { root: dir(), key: 'k.txt', tempPath: await tempWith('new'), finalPath, overwrite: false };
    await expect(commitFile(request, state)).rejects.toThrow(AlreadyExistsError);
    expect(await readFile(finalPath, 'utf8')).toBe('original');
  });

  it('lets exactly one of two concurrent commits of a key win', async () => {
    const state: CommitState = { hardLinks: false };
    const finalPath = join(dir(), 'k.txt');
    const requests = await Promise.all(
      ['x', 'y'].map(async (text) => ({
        root: dir(),
        key: 'k.txt',
        tempPath: await tempWith(text),
        finalPath,
        overwrite: false,
      })),
    );
    const results = await Promise.allSettled(requests.map((r) => commitFile(r, state)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('learns that hard links work on the first commit', async () => {
    const state: CommitState = {};
    const tempPath = await tempWith('one');
    await commitFile(
      { root: dir(), key: 'one.txt', tempPath, finalPath: join(dir(), 'one.txt'), overwrite: false },
      state,
    );
    expect(state.hardLinks).toBe(true);
    expect(await readdir(dir())).toEqual(['one.txt']);
  });
});
