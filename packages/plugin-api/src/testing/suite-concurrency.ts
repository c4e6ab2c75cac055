import { expect } from 'vitest';
import { ErrorCode } from '../errors/index.js';
import { chunked, randomBytes, sha256Hex, slowChunks } from './bodies.js';
import { codeOf, expectListing, expectObject, put, readBytes } from './destination-expect.js';
import type { SuiteContext } from './suite-context.js';

/** Core copies to a destination from several workers at once: writes must not trample each other. */
export function concurrencyChecks({ check, dest }: SuiteContext): void {
  check('writes 16 different keys in parallel', async () => {
    const objects = Array.from({ length: 16 }, (_, i) => ({
      key: `par/${i % 4}/IMG_${i}.jpg`,
      data: randomBytes(20_000 + i),
    }));
    await Promise.all(objects.map(({ key, data }) => dest().write(key, slowChunks(data, 4096), { size: data.length })));
    for (const { key, data } of objects) await expectObject(dest(), key, data);
    await expectListing(
      dest(),
      '',
      objects.map((o) => o.key),
    );
  });

  // Two workers racing on one key (same file name, same date) must not both believe they stored it.
  check('lets exactly one of two concurrent writes of the same key win', async () => {
    const pacings = [
      [slowChunks, slowChunks],
      [chunked, slowChunks],
      [slowChunks, chunked],
    ] as const;
    for (const [round, [bodyA, bodyB]] of pacings.entries()) {
      const key = `race/${round}.jpg`;
      const a = randomBytes(30_000);
      const b = randomBytes(30_001);
      const results = await Promise.allSettled([
        dest().write(key, bodyA(a), { size: a.length }),
        dest().write(key, bodyB(b), { size: b.length }),
      ]);
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners.length, `round ${round}: number of writes of ${key} that succeeded`).toBe(1);
      const loser = results.find((r) => r.status === 'rejected');
      expect(codeOf(loser?.reason), `round ${round}: code of the losing write`).toBe(ErrorCode.AlreadyExists);
      await expectObject(dest(), key, winners[0] === 0 ? a : b);
    }
  });

  check('two concurrent overwrites leave one whole body, never a mix', async () => {
    const key = 'race/overwrite.jpg';
    await put(dest(), key, randomBytes(1000));
    // Same size, so neither size nor a length check can tell them apart: only whole-object replacement can.
    const a = randomBytes(100_000);
    const b = randomBytes(100_000);
    await Promise.all([
      dest().write(key, slowChunks(a, 4096), { size: a.length, overwrite: true }),
      dest().write(key, slowChunks(b, 4096), { size: b.length, overwrite: true }),
    ]);
    const stored = sha256Hex(await readBytes(dest(), key));
    expect([sha256Hex(a), sha256Hex(b)], 'stored body is one of the two written').toContain(stored);
    await expectListing(dest(), '', [key]);
  });
}
