import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LifeboatError } from '@lifeboat/plugin-api';
import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendIndex, INDEX_FORMAT_VERSION, type IndexEntry, writeBuffer } from '../dest-index/index.js';
import { type RestoreEvent, restoreFromDestination, selectEntries } from './restore.js';

function entry(key: string, fields: Partial<IndexEntry> = {}): IndexEntry {
  return {
    v: INDEX_FORMAT_VERSION,
    key,
    source: 'icloud',
    assetId: key,
    kind: 'original',
    version: 'v1',
    fileName: key.split('/').pop()!,
    size: 0,
    sha256: '',
    albums: [],
    favorite: false,
    hidden: false,
    copiedAt: '2024-01-01T00:00:00.000Z',
    ...fields,
  };
}

describe('selectEntries', () => {
  const entries = [
    entry('a', { capturedAt: '2019-02-28T23:59:59Z' }),
    entry('b', { capturedAt: '2019-03-01T00:30:00+14:00' }), // 2019-02-28 in UTC, 1 March where it was taken
    entry('c', { capturedAt: '2019-03-31T23:00:00-10:00' }), // 1 April in UTC
    entry('d', { capturedAt: '2019-04-01T00:00:00' }),
    entry('e'),
  ];
  const keys = (filter: Parameters<typeof selectEntries>[1]) => selectEntries(entries, filter).map((e) => e.key);

  it('selects by wall-clock date, both bounds inclusive', () => {
    expect(keys({ since: '2019-03-01', until: '2019-03-31' })).toEqual(['b', 'c']);
    expect(keys({ since: '2019-03-01' })).toEqual(['b', 'c', 'd']);
    expect(keys({ until: '2019-02-28' })).toEqual(['a']);
  });

  it('leaves out undated entries only when a date filter is given', () => {
    expect(keys({})).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(keys({ since: '1900-01-01' })).not.toContain('e');
  });

  it('applies the match predicate with the date filter', () => {
    expect(keys({ match: (e) => e.key !== 'a' })).toEqual(['b', 'c', 'd', 'e']);
    expect(keys({ since: '2019-03-01', match: (e) => e.key === 'd' })).toEqual(['d']);
  });
});

let root: string;
let to: string;
let destination: MemoryDestination;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-restore-'));
  to = join(root, 'restored');
  destination = new MemoryDestination();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Puts a copy on the destination and returns its index entry (indexed by the caller). */
async function copy(key: string, data = randomBytes(5000), fields: Partial<IndexEntry> = {}): Promise<IndexEntry> {
  await writeBuffer(destination, key, data);
  const sha256 = createHash('sha256').update(data).digest('hex');
  return entry(key, { size: data.length, sha256, capturedAt: '2020-01-02T03:04:05', ...fields });
}

async function restore(options: { onEvent?: (e: RestoreEvent) => void } = {}) {
  return restoreFromDestination({ destination, to, filter: {}, ...options });
}

/** Every file under `dir`, relative, temp files included. */
async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const all = await readdir(dir, { recursive: true, withFileTypes: true });
  return all
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe('restoreFromDestination', () => {
  it('restores every indexed copy byte for byte', async () => {
    const entries = [
      await copy('2020/01/IMG_0001.JPG'),
      await copy('2020/01/IMG_0002.HEIC', randomBytes(200_000)),
      await copy('undated/00/Été à Paris.mov', randomBytes(10)),
      await copy('2020/02/empty.txt', Buffer.alloc(0)),
    ];
    await appendIndex(destination, entries, new Date());
    const events: RestoreEvent[] = [];
    const summary = await restore({ onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ ok: true, matched: 4, filesRestored: 4, alreadyPresent: 0, failures: [] });
    expect(summary.bytesRestored).toBe(entries.reduce((s, e) => s + e.size, 0));
    for (const e of entries) {
      expect(await readFile(join(to, e.key))).toEqual(destination.objects.get(e.key)!.data);
    }
    expect(await files(to)).toEqual(entries.map((e) => e.key).sort());
    expect(events[0]).toEqual({ type: 'restore-planned', files: 4, bytes: summary.bytesRestored });
    expect(events.filter((e) => e.type === 'restored')).toHaveLength(4);
  });

  it('refuses a damaged copy with LIFEBOAT_INTEGRITY and leaves no file behind', async () => {
    const good = await copy('2020/01/good.jpg');
    const bad = await copy('2020/01/bad.jpg');
    await appendIndex(destination, [good, bad], new Date());
    destination.objects.get(bad.key)!.data[100]! ^= 0xff; // bit rot after the copy was indexed
    const summary = await restore();
    expect(summary.ok).toBe(false);
    expect(summary.filesRestored).toBe(1);
    expect(summary.failures).toEqual([{ key: bad.key, code: 'LIFEBOAT_INTEGRITY', message: expect.any(String) }]);
    expect(existsSync(join(to, bad.key))).toBe(false);
    expect(await files(to)).toEqual([good.key]); // no temp file either
  });

  it('refuses a copy shorter than the index says', async () => {
    const e = await copy('a.jpg');
    await appendIndex(destination, [{ ...e, size: e.size + 1 }], new Date());
    const summary = await restore();
    expect(summary.failures.map((f) => f.code)).toEqual(['LIFEBOAT_INTEGRITY']);
    expect(await files(to)).toEqual([]);
  });

  it('counts an identical file already in place as present', async () => {
    const data = randomBytes(3000);
    const e = await copy('2020/01/a.jpg', data);
    await appendIndex(destination, [e], new Date());
    await mkdir(join(to, '2020/01'), { recursive: true });
    await writeFile(join(to, e.key), data);
    const summary = await restore();
    expect(summary).toMatchObject({ ok: true, filesRestored: 0, alreadyPresent: 1, bytesRestored: 0 });
  });

  it('never overwrites a different file already in place', async () => {
    const e = await copy('2020/01/a.jpg');
    await appendIndex(destination, [e], new Date());
    await mkdir(join(to, '2020/01'), { recursive: true });
    await writeFile(join(to, e.key), 'my own edits');
    const summary = await restore();
    expect(summary.ok).toBe(false);
    expect(summary.failures).toEqual([{ key: e.key, code: 'LIFEBOAT_ALREADY_EXISTS', message: expect.any(String) }]);
    expect(await readFile(join(to, e.key), 'utf8')).toBe('my own edits');
    expect(await files(to)).toEqual([e.key]);
  });

  it('refuses index keys that would escape the restore folder', async () => {
    const ok = await copy('ok.jpg');
    const hostile = ['../escape.jpg', 'a/../../escape2.jpg', '/tmp/abs.jpg', 'a\\..\\..\\escape3.jpg', 'a//b.jpg'];
    await appendIndex(destination, [ok, ...hostile.map((key) => ({ ...ok, key }))], new Date());
    const summary = await restore();
    expect(summary.filesRestored).toBe(1);
    expect(summary.failures.map((f) => [f.key, f.code]).sort()).toEqual(
      hostile.map((key) => [key, 'LIFEBOAT_INVALID_KEY']).sort(),
    );
    expect(await files(root)).toEqual(['restored/ok.jpg']);
    expect(existsSync(join(dirname(root), 'escape.jpg'))).toBe(false);
  });

  it('fails once with LIFEBOAT_RESTORE_TARGET when the target cannot be created', async () => {
    await appendIndex(destination, [await copy('a.jpg')], new Date());
    await writeFile(join(root, 'file'), 'x');
    to = join(root, 'file', 'restored');
    const error = await restore().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('LIFEBOAT_RESTORE_TARGET');
    expect((error as LifeboatError).message).toContain(to);
  });

  it('fails once with LIFEBOAT_RESTORE_TARGET when the target is a file, not one failure per copy', async () => {
    await appendIndex(destination, [await copy('a.jpg'), await copy('b/c.jpg')], new Date());
    await writeFile(join(root, 'file'), 'x');
    to = join(root, 'file');
    await expect(restore()).rejects.toMatchObject({ code: 'LIFEBOAT_RESTORE_TARGET' });
    expect(await readFile(to, 'utf8')).toBe('x');
  });

  it('restores only what the filter selects', async () => {
    const a = await copy('2019/03/a.jpg', undefined, { capturedAt: '2019-03-01T00:30:00+14:00' });
    const b = await copy('2019/04/b.jpg', undefined, { capturedAt: '2019-04-01T00:00:00Z' });
    await appendIndex(destination, [a, b], new Date());
    const summary = await restoreFromDestination({ destination, to, filter: { until: '2019-03-31' } });
    expect(summary).toMatchObject({ ok: true, matched: 1, filesRestored: 1 });
    expect(await files(to)).toEqual([a.key]);
  });

  it('restores from an empty index without error', async () => {
    expect(await restore()).toMatchObject({ ok: true, matched: 0, filesRestored: 0 });
    expect(existsSync(to)).toBe(true);
  });

  it('stops and reports not ok when aborted', async () => {
    await appendIndex(destination, [await copy('a.jpg'), await copy('b.jpg')], new Date());
    const controller = new AbortController();
    controller.abort();
    const summary = await restoreFromDestination({ destination, to, filter: {}, signal: controller.signal });
    expect(summary.ok).toBe(false);
    expect(summary.filesRestored).toBe(0);
  });
});
