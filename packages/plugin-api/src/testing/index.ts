// @lifeboat/plugin-api/testing: what plugin authors and Lifeboat's own tests use to check behaviour for real.

// The conformance kit registers vitest tests: plugin authors call it from a `*.test.ts` file run by vitest
// (a devDependency of theirs), once per destination or source they ship.
export {
  abortingMidway,
  chunked,
  collect,
  failingMidway,
  pausedBody,
  randomBytes,
  sha256Hex,
  slowChunks,
  unevenChunks,
} from './bodies.js';
export { DESTINATION_CHECKS, type DestinationCheck } from './destination-checks.js';
export { runDestinationSuite } from './destination-suite.js';
export { folderStore } from './folder-store.js';
export { MemoryDestination } from './memory-destination.js';
export { MemorySource } from './memory-source.js';
export { type RangeIgnoringProxy, startRangeIgnoringProxy } from './range-ignoring-proxy.js';
export {
  runSourceSuite,
  SOURCE_CHECKS,
  type SourceCheck,
  type SourceFactory,
  type SourceSuiteOptions,
} from './source-suite.js';
export type { DestinationFactory, DestinationSuiteOptions, HttpAccess, StoreAccess } from './suite-context.js';
