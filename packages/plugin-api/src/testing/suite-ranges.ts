import { expect } from 'vitest';
import type { ReadOptions } from '../api/destination.js';
import { isLifeboatError } from '../errors/codes.js';
import { randomBytes } from './bodies.js';
import { put, readBytes } from './destination-expect.js';
import { startRangeIgnoringProxy } from './range-ignoring-proxy.js';
import type { SuiteContext } from './suite-context.js';

/**
 * A server that ignores Range answers a ranged read with the whole object. A destination that passes those bytes on
 * as the range corrupts a resumed download or a piecewise verification silently; it must fail the read instead (or,
 * if it copes, still return exactly the requested bytes).
 */
export function rangeChecks({ check, dest, http }: SuiteContext): void {
  check('a server that ignores Range never passes other bytes for a range', async (t) => {
    const access = http();
    if (!access) return t.skip('no http access given by the factory');
    const data = randomBytes(10_000);
    await put(dest(), 'ranged.bin', data);
    const proxy = await startRangeIgnoringProxy(access.endpoint);
    const rerouted = await access.at(proxy.endpoint);
    try {
      const cases: [ReadOptions, Buffer][] = [
        [{ offset: 100, length: 50 }, data.subarray(100, 150)],
        [{ offset: 1234 }, data.subarray(1234)],
        [{ offset: 0, length: 1 }, data.subarray(0, 1)],
      ];
      for (const [options, expected] of cases) {
        const what = `read with ${JSON.stringify(options)} through a server that ignores Range`;
        let got: Buffer | undefined;
        let error: unknown;
        try {
          got = await readBytes(rerouted, 'ranged.bin', options);
        } catch (e) {
          error = e;
        }
        if (got !== undefined) {
          expect(got.equals(expected), `${what} gave ${got.length} other bytes instead of failing`).toBe(true);
        } else {
          expect(isLifeboatError(error), `${what} failed without a Lifeboat code: ${String(error)}`).toBe(true);
        }
      }
      expect(proxy.rangesDropped(), 'ranged reads that reached the server with a Range header').toBeGreaterThan(0);
    } finally {
      await rerouted.close?.().catch(() => {});
      await proxy.close();
    }
  });
}
