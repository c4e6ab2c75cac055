/**
 * rclone keeps a version stamp (`-v2001-02-03-040506-123`, from --backup-dir suffixes and b2 versions) outside the
 * encrypted part of a file name (rclone's lib/version), so a name carrying one must be split the same way or it
 * would encrypt differently from rclone's.
 */
const VERSION_ANYWHERE = /-v\d{4}-\d{2}-\d{2}-\d{6}-\d{3}/;
const VERSION_EXACT = /^-v(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})-\d{3}$/;
const VERSION_LENGTH = '-v2006-01-02-150405-000'.length;

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot);
}

/** A real calendar time, as Go's time.Parse demands (no 31st of April, no hour 24). */
function isValidTime(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
}

/** The name without its version stamp, and the stamp; undefined when the name carries none. */
export function splitVersion(name: string): { name: string; version: string } | undefined {
  if (!VERSION_ANYWHERE.test(name)) return undefined;
  const ext = extension(name);
  const base = name.slice(0, name.length - ext.length);
  if (base.length < VERSION_LENGTH) return undefined;
  const version = base.slice(base.length - VERSION_LENGTH);
  const parts = VERSION_EXACT.exec(version)?.slice(1).map(Number);
  if (!parts || !isValidTime(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!, parts[5]!)) return undefined;
  return { name: base.slice(0, base.length - VERSION_LENGTH) + ext, version };
}

/** Puts a version stamp back before the name's extension. */
export function addVersion(name: string, version: string): string {
  const ext = extension(name);
  return name.slice(0, name.length - ext.length) + version + ext;
}
