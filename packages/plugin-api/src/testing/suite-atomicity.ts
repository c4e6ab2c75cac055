import { expect } from 'vitest';
import type { Destination, WriteOptions } from '../api/destination.js';
import { ErrorCode } from '../errors/index.js';
import { abortingMidway, chunked, failingMidway, pausedBody, randomBytes, sha256Hex } from './bodies.js';
import { expectAbsent, expectListing, expectObject, expectRejection, put } from './destination-expect.js';
import type { SuiteContext } from './suite-context.js';

const KEY = '2021/07/IMG_0042.HEIC';
const SIZE = 200_000;

/** Nothing under KEY and nothing else listed either: no temp file may show up under another name. */
async function expectNothingVisible(dest: Destination): Promise<void> {
  await expectAbsent(dest, KEY);
  await expectListing(dest, '', []);
}

/** The failures a write must survive without leaving anything behind, each given fresh bytes. */
type Failure = {
  what: string;
  code?: string;
  write: (dest: Destination, extra: Partial<WriteOptions>) => Promise<unknown>;
};
export const FAILURES: Failure[] = [
  { what: 'a body that throws midway', write: (d, x) => writeWith(d, (b) => failingMidway(b), x) },
  {
    what: 'a short body',
    code: ErrorCode.Integrity,
    write: (d, x) => writeWith(d, chunked, { ...x, size: SIZE + 1 }),
  },
  { what: 'a long body', code: ErrorCode.Integrity, write: (d, x) => writeWith(d, chunked, { ...x, size: SIZE - 1 }) },
  {
    what: 'a wrong sha256',
    code: ErrorCode.Integrity,
    write: (d, x) => writeWith(d, chunked, { ...x, sha256: sha256Hex(randomBytes(16)) }),
  },
  {
    what: 'an abort midway',
    write: (d, x) => {
      const controller = new AbortController();
      return writeWith(d, (b) => abortingMidway(b, controller), { ...x, signal: controller.signal });
    },
  },
];

function writeWith(
  dest: Destination,
  body: (data: Uint8Array) => AsyncIterable<Uint8Array>,
  extra: Partial<WriteOptions>,
): Promise<unknown> {
  const data = randomBytes(SIZE);
  return dest.write(KEY, body(data), { size: SIZE, ...extra });
}

function failure(what: string): Failure {
  const found = FAILURES.find((f) => f.what === what);
  if (!found) throw new Error(`no failure named ${what}`);
  return found;
}

/** Atomic writes and the overwrite rules: an object is whole and verified, or not there at all. */
export function atomicityChecks({ check, dest }: SuiteContext): void {
  check('hides an object until its write resolves', async () => {
    const data = randomBytes(SIZE);
    const { body, paused, release } = pausedBody(data);
    const writing = dest().write(KEY, body, { size: SIZE });
    writing.catch(() => {}); // looked at below; keeps an early rejection from being reported as unhandled
    const state = await Promise.race([
      paused.then(() => 'paused'),
      writing.then(
        () => 'resolved',
        () => 'rejected',
      ),
    ]);
    expect(state, 'write of a half-received body').toBe('paused');
    await expectNothingVisible(dest());
    release();
    await writing;
    await expectObject(dest(), KEY, data);
  });

  const leavesNothing = (what: string) => async () => {
    const { code, write } = failure(what);
    await expectRejection(write(dest(), {}), `write of ${what}`, code);
    await expectNothingVisible(dest());
  };
  check('a body that throws midway leaves nothing visible', leavesNothing('a body that throws midway'));
  check('a short body is rejected with LIFEBOAT_INTEGRITY and leaves nothing visible', leavesNothing('a short body'));
  check('a long body is rejected with LIFEBOAT_INTEGRITY and leaves nothing visible', leavesNothing('a long body'));
  check(
    'a wrong sha256 is rejected with LIFEBOAT_INTEGRITY and leaves nothing visible',
    leavesNothing('a wrong sha256'),
  );
  check('an abort midway rejects the write and leaves nothing visible', leavesNothing('an abort midway'));

  check('a right sha256 is accepted', async () => {
    const data = randomBytes(SIZE);
    const info = await put(dest(), KEY, data, { sha256: sha256Hex(data) });
    if (info.sha256 !== undefined) expect(info.sha256, 'sha256 that write resolves').toBe(sha256Hex(data));
    await expectObject(dest(), KEY, data);
  });

  check('an already aborted signal rejects the write', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectRejection(put(dest(), KEY, randomBytes(SIZE), { signal: controller.signal }), 'write');
    await expectNothingVisible(dest());
  });

  // The existing object is core's only copy of that version: a failed replacement must not cost it.
  check('a body that throws midway leaves the existing object intact', async () => {
    const original = randomBytes(1000);
    await put(dest(), KEY, original);
    const { code, write } = failure('a body that throws midway');
    await expectRejection(write(dest(), { overwrite: true }), 'overwrite with a body that throws midway', code);
    await expectObject(dest(), KEY, original);
    await expectListing(dest(), '', [KEY]);
  });

  check('a failed overwrite leaves the existing object intact', async () => {
    const original = randomBytes(1000);
    await put(dest(), KEY, original);
    for (const { what, code, write } of FAILURES) {
      await expectRejection(write(dest(), { overwrite: true }), `overwrite with ${what}`, code);
      await expectObject(dest(), KEY, original);
      await expectListing(dest(), '', [KEY]);
    }
  });

  check('recover leaves complete objects untouched', async () => {
    const objects = new Map(['keep/a.jpg', 'keep/b.jpg', 'c.jpg'].map((k) => [k, randomBytes(5000)] as const));
    for (const [key, data] of objects) await put(dest(), key, data);
    for (const { what, write } of FAILURES) await expectRejection(write(dest(), {}), `write of ${what}`);
    await dest().recover?.();
    await expectListing(dest(), '', [...objects.keys()]);
    for (const [key, data] of objects) await expectObject(dest(), key, data);
  });

  check('writing an existing key without overwrite fails with LIFEBOAT_ALREADY_EXISTS', async () => {
    const original = randomBytes(1000);
    await put(dest(), KEY, original);
    for (const overwrite of [undefined, false]) {
      const attempt = put(dest(), KEY, randomBytes(500), overwrite === undefined ? {} : { overwrite });
      await expectRejection(attempt, `write with overwrite: ${overwrite}`, ErrorCode.AlreadyExists);
      await expectObject(dest(), KEY, original);
    }
  });

  check('writing an existing key with overwrite replaces it', async () => {
    await put(dest(), KEY, randomBytes(1000));
    const replacement = randomBytes(500);
    const info = await put(dest(), KEY, replacement, { overwrite: true });
    expect(info, 'what write resolves').toMatchObject({ key: KEY, size: 500 });
    await expectObject(dest(), KEY, replacement);
    await expectListing(dest(), '', [KEY]);
  });

  check('overwrite of a missing key creates it', async () => {
    const data = randomBytes(700);
    await put(dest(), KEY, data, { overwrite: true });
    await expectObject(dest(), KEY, data);
  });
}
