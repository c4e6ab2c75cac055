/**
 * A Retry-After header's value in ms: delta-seconds or an HTTP date. Undefined when absent or unreadable.
 * For a plugin that reads HTTP itself, to fill a TransientError's `retryAfterMs`.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
