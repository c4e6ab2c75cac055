/**
 * iCloud gives the capture instant (`assetDate`, ms since epoch, UTC) and the offset of the place it was taken
 * (`timeZoneOffset`, seconds east of UTC). Core wants the local wall clock with that offset:
 * `2018-07-31T14:22:24+07:00`.
 */
export function localCaptureDate(epochMs: number | undefined, offsetSeconds: number | undefined): string | undefined {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return undefined;
  // Valid dates only: before 1826 or after 2200 is a broken record, not a photo.
  if (epochMs < -4_500_000_000_000 || epochMs > 7_300_000_000_000) return undefined;
  const offsetMinutes =
    offsetSeconds !== undefined && Number.isFinite(offsetSeconds) && Math.abs(offsetSeconds) <= 18 * 3600
      ? Math.round(offsetSeconds / 60)
      : undefined;
  if (offsetMinutes === undefined)
    return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMinutes * 60_000);
  const wall = local.toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as ISO 8601 UTC (for `addedAt`, `dateExpunged`), or undefined when it is not a sane time. */
export function isoInstant(epochMs: number | undefined): string | undefined {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return undefined;
  if (epochMs < -4_500_000_000_000 || epochMs > 7_300_000_000_000) return undefined;
  return new Date(epochMs).toISOString();
}

function pad(n: number): string {
  return n.toString().padStart(2, '0');
}
