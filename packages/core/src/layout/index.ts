export { sanitizeSegment, splitExtension } from './sanitize.js';
export {
  alternativeKey,
  type LayoutInput,
  layoutUsesAlbums,
  renderKey,
  wallClockDate,
} from './template.js';
