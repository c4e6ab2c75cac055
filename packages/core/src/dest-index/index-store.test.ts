import { LifeboatError } from '@lifeboat/plugin-api';
import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { INDEX_FORMAT_VERSION, INDEX_PREFIX, type IndexEntry } from './format.js';
import { appendIndex, readIndex, scanIndex } from './index-store.js';
import { writeBuffer } from './io.js';

function entry(key: string, fields: Partial<IndexEntry> = {}): IndexEntry {
  return {
    v: INDEX_FORMAT_VERSION,
    key,
    source: 'icloud',
    assetId: key,
    kind: 'original',
    version: 'v1',
    fileName: key.split('/').pop()!,
    size: 10,
    sha256: 'a'.repeat(64),
    capturedAt: '2020-01-02T03:04:05',
    albums: [],
    favorite: false,
    hidden: false,
    copiedAt: '2024-01-01T00:00:00.000Z',
    ...fields,
  };
}

async function segment(d: MemoryDestination, name: string, lines: string[]) {
  await writeBuffer(d, `${INDEX_PREFIX}${name}.jsonl`, Buffer.from(`${lines.join('\n')}\n`));
}

async function indexError(d: MemoryDestination): Promise<LifeboatError> {
  const error = await readIndex(d).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LifeboatError);
  return error as LifeboatError;
}

describe('appendIndex and readIndex', () => {
  it('round-trips entries across several segments', async () => {
    const d = new MemoryDestination();
    const a = entry('2020/01/a.jpg', { albums: ['Trip'], favorite: true, timeZone: 'Asia/Tokyo' });
    const b = entry('2020/01/b.jpg');
    const c = entry('undated/00/c.jpg', { capturedAt: undefined });
    const first = await appendIndex(d, [a, b], new Date('2024-01-01T00:00:00Z'));
    const second = await appendIndex(d, [c], new Date('2024-01-02T00:00:00Z'));
    expect(first).toMatch(/^\.lifeboat\/index\/20240101T000000000Z-[0-9a-f]{8}\.jsonl$/);
    expect(second).not.toBe(first);
    expect(await readIndex(d)).toEqual(
      [a, b, { ...c, capturedAt: undefined }].map((e) => JSON.parse(JSON.stringify(e))),
    );
  });

  it('writes one readable JSON object per line', async () => {
    const d = new MemoryDestination();
    const key = await appendIndex(d, [entry('x.jpg'), entry('y.jpg')], new Date());
    const lines = d.objects.get(key)!.data.toString('utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).key)).toEqual(['x.jpg', 'y.jpg']);
  });

  it('keeps the latest record of a key, whichever segment holds it', async () => {
    const d = new MemoryDestination();
    const [old, fresh, stale] = ['1', '2', '3'].map((c) => c.repeat(64));
    await appendIndex(d, [entry('a.jpg', { sha256: old, copiedAt: '2024-01-01T00:00:00.000Z' })], new Date(1000));
    await appendIndex(d, [entry('a.jpg', { sha256: fresh, copiedAt: '2024-02-01T00:00:00.000Z' })], new Date(2000));
    // An older record in a later segment (a second machine with a slow clock) does not win.
    await appendIndex(d, [entry('a.jpg', { sha256: stale, copiedAt: '2023-12-01T00:00:00.000Z' })], new Date(3000));
    const entries = await readIndex(d);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.sha256).toBe(fresh);
  });

  it('reads an empty destination as an empty index and ignores other files under the prefix', async () => {
    const d = new MemoryDestination();
    expect(await readIndex(d)).toEqual([]);
    await writeBuffer(d, `${INDEX_PREFIX}notes.txt`, Buffer.from('not an index'));
    expect(await readIndex(d)).toEqual([]);
  });

  it('skips blank lines', async () => {
    const d = new MemoryDestination();
    await segment(d, 's1', ['', JSON.stringify(entry('a.jpg')), '   ', JSON.stringify(entry('b.jpg'))]);
    expect((await readIndex(d)).map((e) => e.key)).toEqual(['a.jpg', 'b.jpg']);
  });

  it('refuses a segment written by a newer format with LIFEBOAT_INDEX_TOO_NEW', async () => {
    const d = new MemoryDestination();
    await segment(d, 's1', [JSON.stringify(entry('a.jpg')), JSON.stringify({ ...entry('b.jpg'), v: 2 })]);
    const error = await indexError(d);
    expect(error.code).toBe('LIFEBOAT_INDEX_TOO_NEW');
    expect(error.message).toContain(`${INDEX_PREFIX}s1.jsonl`);
    expect(error.message).toContain('format 2');
    expect(error.hint).toContain('Upgrade');
  });

  it('refuses a garbled line with LIFEBOAT_BAD_INDEX naming segment and line', async () => {
    const d = new MemoryDestination();
    await segment(d, 's1', [JSON.stringify(entry('a.jpg')), '{"v":1,"key":"b.jpg",']);
    const error = await indexError(d);
    expect(error.code).toBe('LIFEBOAT_BAD_INDEX');
    expect(error.message).toContain(`${INDEX_PREFIX}s1.jsonl line 2`);
  });

  it('refuses an entry that lacks key, size or sha256', async () => {
    const d = new MemoryDestination();
    const { sha256: _, ...noHash } = entry('a.jpg');
    await segment(d, 's1', [JSON.stringify(noHash)]);
    const error = await indexError(d);
    expect(error.code).toBe('LIFEBOAT_BAD_INDEX');
    expect(error.message).toContain('line 1');
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['an array', '[1,2]'],
    ['an object without a format version', JSON.stringify({ key: 'a.jpg', size: 1, sha256: 'x' })],
  ])('reports %s as damage (LIFEBOAT_BAD_INDEX), not as a newer format', async (_, line) => {
    const d = new MemoryDestination();
    await segment(d, 's1', [JSON.stringify(entry('a.jpg')), line]);
    const error = await indexError(d);
    expect(error.code).toBe('LIFEBOAT_BAD_INDEX');
    expect(error.message).toContain(`${INDEX_PREFIX}s1.jsonl line 2`);
  });
});

describe('scanIndex: damage costs only the damaged line', () => {
  it('skips a half-written last line and reports it, keeping every other record', async () => {
    const d = new MemoryDestination();
    const good = [entry('a.jpg'), entry('b.jpg'), entry('c.jpg')].map((e) => JSON.stringify(e));
    const body = `${good.join('\n')}\n${good[0]!.slice(0, 40)}`; // no final newline: the power went mid-append
    await writeBuffer(d, `${INDEX_PREFIX}s1.jsonl`, Buffer.from(body));
    const { entries, damaged } = await scanIndex(d);
    expect(entries.map((e) => e.key)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(damaged).toEqual([{ segment: `${INDEX_PREFIX}s1.jsonl`, line: 4, reason: expect.stringMatching(/JSON/) }]);
  });

  it.each([
    ['capturedAt a number', { capturedAt: 20200102 }, /capturedAt/],
    ['size a string', { size: '10' }, /size/],
    ['size negative', { size: -1 }, /size/],
    ['sha256 not hex', { sha256: 'zz' }, /sha256/],
    ['albums not a list', { albums: 'Trip' }, /albums/],
    ['favorite a string', { favorite: 'yes' }, /favorite/],
    ['key empty', { key: '' }, /key/],
  ])('reports a record with %s as damage, not a crash later', async (_, fields, reason) => {
    const d = new MemoryDestination();
    await segment(d, 's1', [JSON.stringify(entry('a.jpg')), JSON.stringify({ ...entry('b.jpg'), ...fields })]);
    const { entries, damaged } = await scanIndex(d);
    expect(entries.map((e) => e.key)).toEqual(['a.jpg']);
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.reason).toMatch(reason);
    expect((await indexError(d)).message).toMatch(/s1\.jsonl line 2 is damaged/);
  });

  it('fills the fields an older record lacks with neutral values', async () => {
    const d = new MemoryDestination();
    await segment(d, 's1', [JSON.stringify({ v: 1, key: 'a.jpg', size: 3, sha256: 'a'.repeat(64) })]);
    const [only] = (await scanIndex(d)).entries;
    expect(only).toMatchObject({ albums: [], favorite: false, hidden: false, copiedAt: '' });
  });

  it('still refuses a newer format rather than skipping it', async () => {
    const d = new MemoryDestination();
    await segment(d, 's1', [JSON.stringify({ ...entry('b.jpg'), v: 2 })]);
    await expect(scanIndex(d)).rejects.toMatchObject({ code: 'LIFEBOAT_INDEX_TOO_NEW' });
  });
});
