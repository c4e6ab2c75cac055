import { expect } from 'vitest';
import { ErrorCode } from '../errors/index.js';
import { randomBytes } from './bodies.js';
import { expectObject, expectRejection, put } from './destination-expect.js';
import { FAILURES } from './suite-atomicity.js';
import type { StoreAccess, SuiteContext } from './suite-context.js';

const sorted = async (store: StoreAccess) => (await store.contents()).sort();

/**
 * What only the store itself shows: a temp object that a failed write left (invisible to `list`, but filling the
 * drive run after run), leftovers `recover()` did not remove, a write that recreated a vanished root (and so
 * filled the system disk where a drive was not mounted).
 */
export function storeChecks({ check, dest, store }: SuiteContext): void {
  check('a failed write leaves no temp object in the store', async (t) => {
    const access = store();
    if (!access) return t.skip('no store access given');
    await put(dest(), 'keep.jpg', randomBytes(1000));
    const before = await sorted(access);
    for (const { what, write } of FAILURES) {
      await expectRejection(write(dest(), {}), `write of ${what}`);
      expect(await sorted(access), `the store after a write of ${what}`).toEqual(before);
    }
  });

  check('recover removes what an interrupted write left in the store', async (t) => {
    const access = store();
    if (!access?.plantLeftover) return t.skip('no plantLeftover in the store access');
    const kept = randomBytes(2000);
    await put(dest(), '2019/keep.jpg', kept);
    const before = await sorted(access);
    await access.plantLeftover();
    expect(await sorted(access), 'the store once plantLeftover ran').not.toEqual(before);
    await dest().recover?.();
    expect(await sorted(access), 'the store after recover()').toEqual(before);
    await expectObject(dest(), '2019/keep.jpg', kept);
  });

  check('a write never creates a missing root', async (t) => {
    const access = store();
    if (!access?.removeRoot || !access.rootExists) return t.skip('no removeRoot/rootExists in the store access');
    await put(dest(), 'before.jpg', randomBytes(100));
    await access.removeRoot();
    await expectRejection(
      put(dest(), '2019/05/after.jpg', randomBytes(100)),
      'write',
      ErrorCode.DestinationUnavailable,
    );
    expect(await access.rootExists(), 'whether the root exists after the write').toBe(false);
  });
}
