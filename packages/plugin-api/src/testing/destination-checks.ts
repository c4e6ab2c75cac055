/**
 * Every check `runDestinationSuite` registers, by the test name vitest prints. A destination that cannot meet
 * one passes its name in `options.skip`, so the gap is written down in its test file rather than hidden.
 */
export const DESTINATION_CHECKS = [
  // suite-roundtrip.ts
  'round-trips an empty object',
  'round-trips a small object',
  'round-trips a large object written in uneven chunks',
  'reads from an offset to the end',
  'reads a range given by offset and length',
  'reads fewer bytes when the range runs past the end',
  'reads the first byte alone',
  'reads the last byte alone',
  'reads a range across chunk boundaries of a large object',
  'stat of a missing key resolves undefined',
  'read of a missing key rejects with LIFEBOAT_NOT_FOUND',
  'sees an object in stat, read and list as soon as write resolves',
  'delete removes only the named object',
  'delete of a missing key resolves',
  'describe reports location, medium, mediumKind, offsite and layout',
  // suite-listing.ts
  'a fresh destination lists no objects',
  'lists every key exactly once with an empty prefix',
  'lists the keys under a folder prefix',
  'lists the keys by a prefix that ends inside a folder name',
  'lists the keys by a prefix that ends inside a file name',
  'lists nothing for a prefix no key starts with',
  'lists many keys across nested folders exactly once',
  // suite-atomicity.ts
  'hides an object until its write resolves',
  'a body that throws midway leaves nothing visible',
  'a body that throws midway leaves the existing object intact',
  'a short body is rejected with LIFEBOAT_INTEGRITY and leaves nothing visible',
  'a long body is rejected with LIFEBOAT_INTEGRITY and leaves nothing visible',
  'a wrong sha256 is rejected with LIFEBOAT_INTEGRITY and leaves nothing visible',
  'a right sha256 is accepted',
  'an abort midway rejects the write and leaves nothing visible',
  'an already aborted signal rejects the write',
  'a failed overwrite leaves the existing object intact',
  'recover leaves complete objects untouched',
  'writing an existing key without overwrite fails with LIFEBOAT_ALREADY_EXISTS',
  'writing an existing key with overwrite replaces it',
  'overwrite of a missing key creates it',
  // suite-names.ts
  'round-trips a key with accented letters (NFC)',
  'round-trips a key with emoji',
  'round-trips a key with CJK characters',
  'round-trips a key with spaces',
  'round-trips a key with a 180-byte segment',
  'round-trips a key nested four folders deep',
  'round-trips a key with # % + ? & characters',
  'round-trips a key with dots inside names',
  'round-trips a key starting with a dash',
  "round-trips core's own .lifeboat/ bookkeeping keys",
  'rejects the empty key with LIFEBOAT_INVALID_KEY',
  'rejects an absolute key with LIFEBOAT_INVALID_KEY',
  'rejects a key starting with .. with LIFEBOAT_INVALID_KEY',
  'rejects a key with a .. segment with LIFEBOAT_INVALID_KEY',
  'rejects a key with an empty segment with LIFEBOAT_INVALID_KEY',
  'rejects a key with a . segment with LIFEBOAT_INVALID_KEY',
  'rejects a key ending with / with LIFEBOAT_INVALID_KEY',
  // suite-concurrency.ts
  'writes 16 different keys in parallel',
  'lets exactly one of two concurrent writes of the same key win',
  'two concurrent overwrites leave one whole body, never a mix',
  // suite-store.ts (skipped when the factory gives no store access)
  'a failed write leaves no temp object in the store',
  'recover removes what an interrupted write left in the store',
  'a write never creates a missing root',
  // suite-deadline.ts (skipped without options.unresponsive)
  'gives up on a server that accepts connections and never answers',
  // suite-ranges.ts (skipped when the factory gives no http access)
  'a server that ignores Range never passes other bytes for a range',
] as const;

export type DestinationCheck = (typeof DESTINATION_CHECKS)[number];
