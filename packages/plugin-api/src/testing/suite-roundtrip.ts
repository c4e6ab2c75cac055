import { expect } from 'vitest';
import type { ReadOptions } from '../api/destination.js';
import { ErrorCode } from '../errors/index.js';
import { validateLayout } from '../layout/layout.js';
import { randomBytes, unevenChunks } from './bodies.js';
import {
  expectAbsent,
  expectBytes,
  expectListing,
  expectObject,
  expectRejection,
  listAll,
  put,
  readBytes,
} from './destination-expect.js';
import type { SuiteContext } from './suite-context.js';

/** Round-trips, ranged reads, missing keys, read-after-write, delete and describe(). */
export function roundTripChecks({ check, dest, largeObjectBytes }: SuiteContext): void {
  check('round-trips an empty object', async () => {
    const info = await put(dest(), 'empty.bin', new Uint8Array(0));
    expect(info, 'what write resolves').toMatchObject({ key: 'empty.bin', size: 0 });
    await expectObject(dest(), 'empty.bin', new Uint8Array(0));
  });

  check('round-trips a small object', async () => {
    const data = randomBytes(1234);
    const info = await put(dest(), 'photos/small.jpg', data);
    expect(info, 'what write resolves').toMatchObject({ key: 'photos/small.jpg', size: data.length });
    await expectObject(dest(), 'photos/small.jpg', data);
  });

  check('round-trips a large object written in uneven chunks', async () => {
    const data = randomBytes(largeObjectBytes);
    const info = await dest().write('videos/large.mov', unevenChunks(data), { size: data.length });
    expect(info, 'what write resolves').toMatchObject({ key: 'videos/large.mov', size: data.length });
    await expectObject(dest(), 'videos/large.mov', data);
  });

  // Ranged reads resume dropped transfers and verify copies piecewise: an off-by-one there corrupts silently.
  const ranged = async (...cases: [ReadOptions, (d: Buffer) => Buffer][]) => {
    const data = randomBytes(10_000);
    await put(dest(), 'ranged.bin', data);
    for (const [options, slice] of cases) {
      expectBytes(await readBytes(dest(), 'ranged.bin', options), slice(data), `read with ${JSON.stringify(options)}`);
    }
  };

  check('reads from an offset to the end', () => ranged([{ offset: 1234 }, (d) => d.subarray(1234)]));
  check('reads a range given by offset and length', () =>
    ranged([{ offset: 100, length: 50 }, (d) => d.subarray(100, 150)]),
  );
  check('reads fewer bytes when the range runs past the end', () =>
    ranged([{ offset: 9990, length: 100 }, (d) => d.subarray(9990)]),
  );
  check('reads the first byte alone', () => ranged([{ offset: 0, length: 1 }, (d) => d.subarray(0, 1)]));
  check('reads the last byte alone', () =>
    ranged([{ offset: 9999, length: 1 }, (d) => d.subarray(9999)], [{ offset: 9999 }, (d) => d.subarray(9999)]),
  );

  check('reads a range across chunk boundaries of a large object', async () => {
    const data = randomBytes(largeObjectBytes);
    await dest().write('videos/large.mov', unevenChunks(data), { size: data.length });
    const offset = Math.floor(data.length / 3) + 1;
    const length = Math.floor(data.length / 3) + 7;
    const got = await readBytes(dest(), 'videos/large.mov', { offset, length });
    expectBytes(got, data.subarray(offset, offset + length), `read with ${JSON.stringify({ offset, length })}`);
  });

  check('stat of a missing key resolves undefined', async () => {
    await put(dest(), 'present/a.jpg', randomBytes(10));
    expect(await dest().stat('missing.jpg')).toBeUndefined();
    expect(await dest().stat('present/missing.jpg')).toBeUndefined();
    expect(await dest().stat('absent-folder/missing.jpg')).toBeUndefined();
  });

  // The promise itself rejects: core classifies "not found" before it starts consuming a stream.
  check('read of a missing key rejects with LIFEBOAT_NOT_FOUND', async () => {
    await put(dest(), 'present/a.jpg', randomBytes(10));
    for (const key of ['missing.jpg', 'present/missing.jpg', 'absent-folder/missing.jpg']) {
      await expectRejection(dest().read(key), `read(${JSON.stringify(key)})`, ErrorCode.NotFound);
    }
  });

  check('sees an object in stat, read and list as soon as write resolves', async () => {
    // Each step immediately after the previous resolves: no waits, no retries (read-after-write).
    for (let i = 0; i < 5; i++) {
      const key = `raw/${i}.jpg`;
      const data = randomBytes(100 + i);
      await put(dest(), key, data);
      expect(await dest().stat(key), `stat(${key}) right after write`).toMatchObject({ key, size: data.length });
      expectBytes(await readBytes(dest(), key), data, `read(${key}) right after write`);
      expect(
        (await listAll(dest(), 'raw/')).map((o) => o.key),
        'list right after write',
      ).toContain(key);
    }
  });

  check('delete removes only the named object', async () => {
    const data = randomBytes(50);
    for (const key of ['d/a.jpg', 'd/a.jpg.xmp', 'd/b.jpg', 'd.jpg']) await put(dest(), key, data);
    await dest().delete('d/a.jpg');
    await expectAbsent(dest(), 'd/a.jpg');
    await expectListing(dest(), '', ['d/a.jpg.xmp', 'd/b.jpg', 'd.jpg']);
    await expectObject(dest(), 'd/a.jpg.xmp', data);
    // A deleted key can be written again without overwrite: nothing of it remains.
    await put(dest(), 'd/a.jpg', data);
    await expectObject(dest(), 'd/a.jpg', data);
  });

  check('delete of a missing key resolves', async () => {
    await dest().delete('never/written.jpg');
    await put(dest(), 'once.jpg', randomBytes(5));
    await dest().delete('once.jpg');
    await dest().delete('once.jpg');
    await expectListing(dest(), '', []);
  });

  check('describe reports location, medium, mediumKind, offsite and layout', async () => {
    const d = await dest().describe();
    for (const field of ['location', 'medium', 'mediumKind', 'layout'] as const) {
      expect(typeof d[field], `describe().${field}`).toBe('string');
      expect(d[field].length, `describe().${field} is empty`).toBeGreaterThan(0);
    }
    expect(typeof d.offsite, 'describe().offsite').toBe('boolean');
    expect(() => validateLayout(d.layout), 'describe().layout is a valid layout').not.toThrow();
    if (d.freeBytes !== undefined) expect(d.freeBytes, 'describe().freeBytes').toBeGreaterThanOrEqual(0);
  });
}
