export { sanitizeSegment, splitExtension } from './sanitize.js';
export { DEFAULT_LAYOUT, type LayoutInput, alternativeKey, renderKey, validateLayout, wallClockDate } from './template.js';
