/**
 * File names come from sources we do not control (iCloud, other people's exports). Before one becomes part
 * of a key it must be a single, portable path segment: no separators, no traversal, no control characters,
 * no names Windows reserves, and short enough for every filesystem.
 */
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_SEGMENT_BYTES = 200; // below the usual 255-byte limit, leaving room for a collision suffix

export function sanitizeSegment(name: string, fallback = 'unnamed'): string {
  let s = name.normalize('NFC');
  // Control characters (NUL included) and characters invalid on common filesystems become '_'.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  s = s.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_');
  // Leading dots would hide the file or form '.'/'..'; trailing dots and spaces are dropped on Windows.
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (s === '') s = fallback;
  const { stem } = splitExtension(s);
  if (RESERVED_WINDOWS.test(stem)) s = `_${s}`;
  return truncateUtf8(s, MAX_SEGMENT_BYTES);
}

export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** Shortens the stem (never the extension) so the whole name fits in `maxBytes` of UTF-8. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  const budget = maxBytes - Buffer.byteLength(ext);
  let out = '';
  for (const ch of stem) {
    if (Buffer.byteLength(out + ch) > budget) break;
    out += ch;
  }
  return out + ext;
}
