/**
 * File names come from sources we do not control (iCloud, other people's exports). Before one becomes part
 * of a key it must be a single, portable path segment: no separators, no traversal, no control characters,
 * no names Windows reserves, and short enough for every filesystem.
 */
// Windows reserves these names with any extension too: `NUL.txt` and `NUL.tar.gz` both mean NUL.
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;
const MAX_SEGMENT_BYTES = 200; // below the usual 255-byte limit, leaving room for a collision suffix
/** A longer "extension" is not one (`a.<300 bytes>`): the whole name is shortened instead. */
const MAX_EXTENSION_BYTES = 32;

export function sanitizeSegment(name: string, fallback = 'unnamed'): string {
  let s = name.normalize('NFC');
  // Control characters (C0 with NUL, DEL, C1) and characters invalid on common filesystems become '_'.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  s = s.replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, '_');
  s = trimDotsAndSpaces(s);
  if (s === '') s = fallback;
  if (RESERVED_WINDOWS.test(s)) s = `_${s}`;
  return truncateUtf8(s, MAX_SEGMENT_BYTES);
}

// Leading dots would hide the file or form '.'/'..'; trailing dots and spaces are dropped on Windows.
function trimDotsAndSpaces(s: string): string {
  return s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
}

export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/**
 * Shortens the stem (never a real extension) so the whole name fits in `maxBytes` of UTF-8, cutting between
 * code points only; a cut that leaves a trailing dot or space drops it too.
 */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const split = splitExtension(name);
  const { stem, ext } = Buffer.byteLength(split.ext) <= MAX_EXTENSION_BYTES ? split : { stem: name, ext: '' };
  const budget = maxBytes - Buffer.byteLength(ext);
  let out = '';
  let used = 0;
  for (const ch of stem) {
    const size = Buffer.byteLength(ch);
    if (used + size > budget) break;
    out += ch;
    used += size;
  }
  return trimDotsAndSpaces(out) + ext;
}
