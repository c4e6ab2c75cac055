import { expect } from 'vitest';
import { ErrorCode } from '../errors/index.js';
import { randomBytes } from './bodies.js';
import type { DestinationCheck } from './destination-checks.js';
import { expectListing, expectObject, expectRejection, listAll, put, readBytes } from './destination-expect.js';
import type { SuiteContext } from './suite-context.js';

/**
 * Keys core may produce from real photo names. Each must come back from `list` exactly as written: a
 * destination that URL-decodes, normalises Unicode (NFD on HFS+) or trims would make core re-copy, or lose track.
 */
const ODD_KEYS: [DestinationCheck, string][] = [
  ['round-trips a key with accented letters (NFC)', 'Caf\u00e9/cr\u00e8me br\u00fbl\u00e9e \u00c9t\u00e9.jpg'],
  [
    'round-trips a key with emoji',
    '\u{1F436} Dogs/\u{1F389}\u{1F382} party \u{1F468}\u200D\u{1F469}\u200D\u{1F467}.jpg',
  ],
  ['round-trips a key with CJK characters', '\u5199\u771F/\u6771\u4EAC\u30BF\u30EF\u30FC \uC11C\uC6B8.jpg'],
  ['round-trips a key with spaces', 'My Photos/Summer  2019/IMG 0001 (1).JPG'],
  ['round-trips a key with a 180-byte segment', `long/${'x'.repeat(176)}.jpg`],
  ['round-trips a key nested four folders deep', 'a/b/c/d.jpg'],
  ['round-trips a key with # % + ? & characters', 'specials/#1 100% a+b?c=d&e=f %20 %2F.jpg'],
  ['round-trips a key with dots inside names', 'dots/x.y.z/file.tar.gz'],
  ['round-trips a key starting with a dash', '-rf/-n --help.jpg'],
];

/** Keys that would escape the root or are not canonical: the same object must never have two keys. */
const INVALID_KEYS: [DestinationCheck, string][] = [
  ['rejects the empty key with LIFEBOAT_INVALID_KEY', ''],
  ['rejects an absolute key with LIFEBOAT_INVALID_KEY', '/abs'],
  ['rejects a key starting with .. with LIFEBOAT_INVALID_KEY', '../up'],
  ['rejects a key with a .. segment with LIFEBOAT_INVALID_KEY', 'a/../b'],
  ['rejects a key with an empty segment with LIFEBOAT_INVALID_KEY', 'a//b'],
  ['rejects a key with a . segment with LIFEBOAT_INVALID_KEY', 'a/./b'],
  ['rejects a key ending with / with LIFEBOAT_INVALID_KEY', 'a/'],
];

/** Odd but valid names round-trip under their exact key; invalid keys are refused by every operation. */
export function nameChecks({ check, dest }: SuiteContext): void {
  for (const [name, key] of ODD_KEYS) {
    check(name, async () => {
      const data = randomBytes(333);
      await put(dest(), key, data);
      await expectObject(dest(), key, data);
      await expectListing(dest(), '', [key]);
      const folder = key.slice(0, key.lastIndexOf('/') + 1);
      await expectListing(dest(), folder, [key]);
      await dest().delete(key);
      await expectListing(dest(), '', []);
    });
  }

  check("round-trips core's own .lifeboat/ bookkeeping keys", async () => {
    const marker = randomBytes(200);
    const segment = randomBytes(300);
    await put(dest(), '.lifeboat/destination.json', marker);
    await put(dest(), '.lifeboat/index/000001.jsonl', segment);
    await put(dest(), '2019/.hidden.jpg', segment);
    await expectObject(dest(), '.lifeboat/destination.json', marker);
    await expectListing(dest(), '.lifeboat/index/', ['.lifeboat/index/000001.jsonl']);
    await expectListing(dest(), '', ['.lifeboat/destination.json', '.lifeboat/index/000001.jsonl', '2019/.hidden.jpg']);
    await put(dest(), '.lifeboat/destination.json', segment, { overwrite: true });
    expect(await readBytes(dest(), '.lifeboat/destination.json')).toEqual(segment);
    await dest().delete('.lifeboat/index/000001.jsonl');
    await expectListing(dest(), '.lifeboat/', ['.lifeboat/destination.json']);
  });

  for (const [name, key] of INVALID_KEYS) {
    check(name, async () => {
      const what = (op: string) => `${op}(${JSON.stringify(key)})`;
      await expectRejection(put(dest(), key, randomBytes(10)), what('write'), ErrorCode.InvalidKey);
      await expectRejection(
        put(dest(), key, randomBytes(10), { overwrite: true }),
        what('write with overwrite'),
        ErrorCode.InvalidKey,
      );
      await expectRejection(dest().stat(key), what('stat'), ErrorCode.InvalidKey);
      await expectRejection(dest().read(key), what('read'), ErrorCode.InvalidKey);
      // delete of `../up` must not reach outside the root either; a missing-key success would hide that.
      await expectRejection(dest().delete(key), what('delete'), ErrorCode.InvalidKey);
      const listed = await listAll(dest());
      expect(
        listed.map((o) => o.key),
        'objects after invalid writes',
      ).toEqual([]);
    });
  }
}
