import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 11: terminal escape sequences in names were printed raw: a file name could clear the screen,
// retitle the terminal or hide what Lifeboat says.
const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const HIDE = '\u001b[8m';
const RTL = '\u202e'; // right-to-left override: "gpj.exe" shown as "exe.jpg"
const EVIL = `evil${CLEAR}${TITLE}${HIDE}${RTL}gpj.exe`;

function expectNoRawControls(result: CliResult) {
  const out = `${result.stdout}${result.stderr}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
  expect(out, result.describe()).not.toMatch(/[\u001b\u0007\u202e]/);
  expect(out, 'shown escaped').toContain('evil\\x1b[2J\\x1b]0;pwned\\x07\\x1b[8m\\u202egpj.exe');
}

describe('escape sequences in names are shown escaped', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 3, seed: 1611 }, ['drive-a']);
    await world.runOk();
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('verify names a stray file on the drive escaped', async () => {
    await mkdir(join(world.drives[0]!.path, 'strays'));
    await writeFile(join(world.drives[0]!.path, 'strays', EVIL), 'not recorded');
    const result = await world.cli(['verify', 'drive-a']);
    expect(result.stderr + result.stdout).toMatch(/unexpected/i);
    expectNoRawControls(result);
  });

  it('an error naming a path shows it escaped', async () => {
    const result = await world.cli(['source', 'add', 'folder', 'x', '--set', `path=${join(world.root, EVIL)}`]);
    expect(result.code, result.describe()).not.toBe(0);
    expectNoRawControls(result);
  });

  it('restore names a key from a crafted index escaped', async () => {
    const entry = {
      v: 1,
      key: `2019/01/${EVIL}`,
      size: 3,
      sha256: 'a'.repeat(64),
      source: 'x',
      assetId: 'x',
      kind: 'original',
      version: 'x',
      fileName: EVIL,
      albums: [],
      favorite: false,
      hidden: false,
      copiedAt: '2024-01-01T00:00:00.000Z',
    };
    await writeFile(
      join(world.drives[0]!.path, '.lifeboat', 'index', 'zz-crafted.jsonl'),
      `${JSON.stringify(entry)}\n`,
    );
    const result = await world.cli(['restore', '--from', world.drives[0]!.path, '--to', join(world.root, 'r')]);
    expect(result.code, result.describe()).toBe(1);
    expectNoRawControls(result);
  });
});
