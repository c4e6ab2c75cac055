export { INDEX_FORMAT_VERSION, INDEX_PREFIX, MARKER_KEY, META_PREFIX, type DestinationMarker, type IndexEntry } from './format.js';
export { appendIndex, readIndex } from './index-store.js';
export { initializeDestination, readMarker, requireMarker } from './marker.js';
export { readAll, writeBuffer } from './io.js';
