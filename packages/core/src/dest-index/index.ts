export {
  ALBUM_VIEW_PREFIX,
  type DestinationMarker,
  INDEX_FORMAT_VERSION,
  INDEX_PREFIX,
  type IndexEntry,
  MARKER_KEY,
  META_PREFIX,
} from './format.js';
export { IdentityCheckedDestination, type IdentityOptions } from './identity.js';
export { appendIndex, DAMAGED_HINT, type IndexScan, readIndex, scanIndex } from './index-store.js';
export { readAll, writeBuffer } from './io.js';
export { initializeDestination, inspectMarker, type MarkerState, readMarker, requireMarker } from './marker.js';
export { type DamagedIndexLine, parseIndexLine } from './parse-entry.js';
export { DAMAGED_PREFIX, type RebuildSummary, rebuildIndex } from './rebuild.js';
