/** ISO 8601 renderings of an instant as the wall clock of this machine's time zone. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `2019-05-04T12:30:00+02:00`: the local wall clock with the offset in force at that instant (so summer and
 * winter dates each get their own offset).
 */
export function toLocalIso(date: Date): string {
  const wall =
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const minutesEast = -date.getTimezoneOffset();
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
