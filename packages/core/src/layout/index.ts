export { sanitizeSegment, splitExtension } from './sanitize.js';
export {
  alternativeKey,
  type LayoutInput,
  renderKey,
  wallClockDate,
} from './template.js';
