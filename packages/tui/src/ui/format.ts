import stringWidth from 'string-width';

export { formatBytes, formatDuration } from '../output/format.js';

/**
 * `text` in exactly `width` terminal columns: cut with an ellipsis, or padded. By display width, not string
 * length, so wide characters (写真, emoji) and combining accents keep the columns after them aligned.
 */
export function fit(text: string, width: number): string {
  let out = '';
  let used = 0;
  const full = stringWidth(text) <= width;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const w = stringWidth(segment);
    if (used + w > (full ? width : width - 1)) break;
    out += segment;
    used += w;
  }
  if (!full && width > 0) {
    out += '…';
    used += 1;
  }
  return out + ' '.repeat(Math.max(0, width - used));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "today 02:00", "yesterday 02:00", "3 days ago", or the date: how long ago, in words. */
export function when(iso: string | undefined, now = new Date()): string {
  if (!iso) return 'never';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(t)) / 86_400_000);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `yesterday ${time}`;
  if (days > 1 && days < 60) return `${days} days ago`;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

/** "today 02:00", "tomorrow 02:00", "in 3 days", or the date: when something will happen. */
export function ahead(iso: string | undefined, now = new Date()): string {
  if (!iso) return '—';
  const t = new Date(iso);
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(t) - day(now)) / 86_400_000);
  if (days <= 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days < 60) return `in ${days} days`;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

export const count = (n: number) => n.toLocaleString('en-US');

export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** A text bar that reads without colour: filled and empty cells. */
export function bar(ratio: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, ratio)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
