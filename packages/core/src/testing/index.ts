// @lifeboat/core/testing: what plugin authors and Lifeboat's own tests use to check behaviour for real.
export { MemoryDestination } from './memory-destination.js';
export { MemorySource } from './memory-source.js';
