import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, lifeboat } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 1: a file whose name is not valid UTF-8 (a Latin-1 camera card, an old drive, an SMB share)
// was skipped as if it had vanished, and the run exited 0.
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Name bytes (relative to the folder) -> content, written with byte paths as such a drive holds them. */
const FILES: Array<[Buffer, Buffer]> = [
  [latin1('Caf\u00e9.jpg'), Buffer.from('latin-1 e-acute')],
  [latin1('Caf\u00e8.jpg'), Buffer.from('latin-1 e-grave: same length, another byte')],
  [Buffer.concat([latin1('Ferien \u00c4gypten'), Buffer.from('/IMG_0001.JPG')]), Buffer.from('in a Latin-1 folder')],
  [Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x6a, 0x70, 0x67]), Buffer.from('bytes that are never UTF-8')],
];

const bytePath = (root: string, rel: Buffer) => Buffer.concat([Buffer.from(`${root}/`), rel]);

/** Every file under `dir` as relative name bytes (hex, for readable diffs) -> sha256. */
async function treeBytes(dir: string, rel: Buffer = Buffer.alloc(0)): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const abs = rel.length ? bytePath(dir, rel) : Buffer.from(dir);
  for (const entry of await readdir(abs, { withFileTypes: true, encoding: 'buffer' })) {
    const childRel = rel.length ? Buffer.concat([rel, Buffer.from('/'), entry.name]) : entry.name;
    if (entry.isDirectory()) for (const [k, v] of await treeBytes(dir, childRel)) out.set(k, v);
    else out.set(childRel.toString('hex'), sha256(await readFile(bytePath(dir, childRel))));
  }
  return out;
}

describe('file names that are not valid UTF-8 in a folder source', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 5, seed: 1601 }, ['drive-a']);
    await mkdir(bytePath(world.source, latin1('Ferien \u00c4gypten')));
    for (const [rel, data] of FILES) await writeFile(bytePath(world.source, rel), data);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('are backed up under safe names, none skipped', async () => {
    const report = await world.runOk();
    expect(report.filesCopied).toBe(5 + FILES.length);
    const tree = await hashTree(world.drives[0]!.path);
    const keys = [...tree.keys()];
    for (const [, data] of FILES) expect([...tree.values()]).toContain(sha256(data));
    expect(keys.filter((k) => k.includes('Caf%E9.jpg'))).toHaveLength(1);
    expect(keys.filter((k) => k.includes('Caf%E8.jpg'))).toHaveLength(1);
    expect(keys.some((k) => k.includes('f%FF%FE.jpg'))).toBe(true);
    for (const key of keys) expect(key, 'a key is valid UTF-8 without U+FFFD').not.toContain('\ufffd');
    const again = await world.runOk();
    expect(again.filesCopied, 'a second run finds nothing new').toBe(0);
  });

  it("the drive's index keeps the original name bytes, and a restore from the drive alone gives them back", async () => {
    const indexDir = join(world.drives[0]!.path, '.lifeboat', 'index');
    let index = '';
    for (const name of await readdir(indexDir)) index += await readFile(join(indexDir, name), 'utf8');
    for (const [rel] of FILES) expect(index).toContain(rel.toString('base64url'));
    const to = join(world.root, 'restored');
    const restore = await lifeboat(['restore', '--from', world.drives[0]!.path, '--to', to], {
      home: join(world.root, 'bare'),
    });
    expect(restore.code, restore.describe()).toBe(0);
    const restored = await treeBytes(to);
    for (const [rel, data] of FILES) {
      const name = rel.subarray(rel.lastIndexOf(0x2f) + 1).toString('hex');
      const found = [...restored].some(
        ([path, sha]) => (path === name || path.endsWith(`2f${name}`)) && sha === sha256(data),
      );
      expect(found, `restored under its original name: ${rel.toString('latin1')}`).toBe(true);
    }
  });
});
