export {
  type DestinationMarker,
  INDEX_FORMAT_VERSION,
  INDEX_PREFIX,
  type IndexEntry,
  MARKER_KEY,
  META_PREFIX,
} from './format.js';
export { appendIndex, readIndex } from './index-store.js';
export { readAll, writeBuffer } from './io.js';
export { initializeDestination, readMarker, requireMarker } from './marker.js';
