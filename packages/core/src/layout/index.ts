export { sanitizeSegment, splitExtension } from './sanitize.js';
export {
  alternativeKey,
  DEFAULT_LAYOUT,
  type LayoutInput,
  renderKey,
  validateLayout,
  wallClockDate,
} from './template.js';
