import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveDestination } from './archive-destination.js';
import { recordPath } from './layout.js';
import { commitRecord, type KeyRecord, readRecord } from './records.js';

let dir: string;
let root: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-archive-records-'));
  root = join(dir, 'a');
  await new ArchiveDestination({ root }).prepare();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const record = (size: number): KeyRecord => ({ key: 'k.jpg', sha256: 'a'.repeat(64), size, modifiedAt: 'now' });

describe('records', () => {
  // exFAT and FAT have no hard links: the commit falls back to check-then-rename, guarded in-process.
  it('lets exactly one of two racing commits win without hard links', async () => {
    const results = await Promise.allSettled([
      commitRecord(root, record(1), false, { hardLinks: false }),
      commitRecord(root, record(2), false, { hardLinks: false }),
    ]);
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'));
    expect(codes.sort()).toEqual(['LIFEBOAT_ALREADY_EXISTS', 'ok']);
    expect(await readRecord(root, 'k.jpg')).toBeDefined();
  });

  it('reports a damaged or misplaced record as LIFEBOAT_INTEGRITY rather than skipping it', async () => {
    await commitRecord(root, record(1), false, {});
    const archive = new ArchiveDestination({ root });
    await writeFile(recordPath(root, 'k.jpg'), '{"key": "k.jp');
    await expect(archive.stat('k.jpg')).rejects.toMatchObject({ code: 'LIFEBOAT_INTEGRITY' });
    // A record copied under another key's name would list that object twice.
    await mkdir(dirname(recordPath(root, 'other.jpg')), { recursive: true });
    await writeFile(recordPath(root, 'other.jpg'), JSON.stringify(record(1)));
    await expect(archive.stat('other.jpg')).rejects.toMatchObject({ code: 'LIFEBOAT_INTEGRITY' });
    await expect(archive.list()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'LIFEBOAT_INTEGRITY' });
  });
});
