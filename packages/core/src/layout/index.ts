export {
  escapeInvalidUtf8,
  isValidUtf8,
  originalNameOf,
  rawAssetId,
  rawRelativePath,
} from './raw-names.js';
export { sanitizeSegment, splitExtension } from './sanitize.js';
export {
  alternativeKey,
  DEFAULT_LAYOUT,
  type LayoutInput,
  renderKey,
  validateLayout,
  wallClockDate,
} from './template.js';
