/**
 * A capture date as the instant it names. Sources give the wall clock with its UTC offset when they know it
 * (`2019-05-04T12:30:00+02:00`), else the wall clock and, perhaps, an IANA zone (Asset.capturedAt, timeZone).
 */
export interface CaptureTime {
  /** The instant, for file times. */
  instant: Date;
  /** The wall clock with its offset (`2019-05-04T12:30:00+02:00`), or without one when no zone is known. */
  local: string;
  /** Whether the offset is known (from the date itself or its zone), rather than this machine's zone assumed. */
  zoned: boolean;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The instant of a capture date: its own offset first, else its time zone's offset at that wall clock, else this
 * machine's zone (what other tools assume of a date without one). Undefined when there is no usable date.
 */
export function captureTime(capturedAt: string | undefined, timeZone?: string): CaptureTime | undefined {
  const m = capturedAt?.trim().match(WALL);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  const wall = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (Number.isNaN(asUtc)) return undefined;
  if (zone) {
    const minutes = zone === 'Z' ? 0 : offsetMinutesOf(zone);
    return { instant: new Date(asUtc - minutes * 60_000), local: `${wall}${formatOffset(minutes)}`, zoned: true };
  }
  const zoneOffset = timeZone ? zoneOffsetAt(timeZone, asUtc) : undefined;
  if (zoneOffset !== undefined) {
    return { instant: new Date(asUtc - zoneOffset * 60_000), local: `${wall}${formatOffset(zoneOffset)}`, zoned: true };
  }
  const instant = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return Number.isNaN(instant.getTime()) ? undefined : { instant, local: wall, zoned: false };
}

function offsetMinutesOf(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

export function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The offset (minutes east of UTC) of `timeZone` when its wall clock reads `wallAsUtc` (the wall clock's fields
 * taken as if UTC). Two passes settle the instant near a daylight-saving change. Undefined for an unknown zone.
 */
function zoneOffsetAt(timeZone: string, wallAsUtc: number): number | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined; // not a zone this runtime knows: the date is used without it
  }
  const offsetAt = (instant: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
  };
  const first = offsetAt(wallAsUtc);
  return offsetAt(wallAsUtc - first * 60_000);
}
