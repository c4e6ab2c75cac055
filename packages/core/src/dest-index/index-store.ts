import { randomBytes } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';
import { ErrorCode, LifeboatError } from '@lifeboat/plugin-api';
import { INDEX_PREFIX, type IndexEntry } from './format.js';
import { readAll, writeBuffer } from './io.js';
import { type DamagedIndexLine, parseIndexLine } from './parse-entry.js';

/** Appends entries as a new, atomically written segment: a crash never leaves a half-written index. */
export async function appendIndex(destination: Destination, entries: IndexEntry[], now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const key = `${INDEX_PREFIX}${stamp}-${randomBytes(4).toString('hex')}.jsonl`;
  const body = `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
  await writeBuffer(destination, key, Buffer.from(body, 'utf8'));
  return key;
}

/** Every usable record (one per key, the latest wins) and every line that is not one. */
export interface IndexScan {
  entries: IndexEntry[];
  damaged: DamagedIndexLine[];
}

/**
 * Reads every index segment, skipping damaged lines (a half-written last line after a power cut, a field of the
 * wrong type) and saying which they were, so a restore from a drive alone gets everything the index still
 * describes. Refuses a segment written by a newer Lifeboat rather than guessing at its meaning.
 */
export async function scanIndex(destination: Destination): Promise<IndexScan> {
  const byKey = new Map<string, IndexEntry>();
  const damaged: DamagedIndexLine[] = [];
  const segments: string[] = [];
  for await (const info of destination.list(INDEX_PREFIX)) if (info.key.endsWith('.jsonl')) segments.push(info.key);
  segments.sort();
  for (const segment of segments) {
    const text = (await readAll(await destination.read(segment))).toString('utf8');
    let lineNo = 0;
    for (const line of text.split('\n')) {
      lineNo++;
      if (line.trim() === '') continue;
      const parsed = parseIndexLine(line, segment);
      if ('damage' in parsed) {
        damaged.push({ segment, line: lineNo, reason: parsed.damage });
        continue;
      }
      const prior = byKey.get(parsed.entry.key);
      if (!prior || prior.copiedAt <= parsed.entry.copiedAt) byKey.set(parsed.entry.key, parsed.entry);
    }
  }
  return { entries: [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)), damaged };
}

/**
 * The index, refusing any damage (LIFEBOAT_BAD_INDEX naming the segment and line): for the callers that would
 * otherwise act on a partial picture of the destination (a backup run adopting it, verify, repair).
 */
export async function readIndex(destination: Destination): Promise<IndexEntry[]> {
  const { entries, damaged } = await scanIndex(destination);
  const first = damaged[0];
  if (first) {
    throw new LifeboatError(
      ErrorCode.BadIndex,
      `Index segment ${first.segment} line ${first.line} is damaged: ${first.reason}${damaged.length > 1 ? ` (and ${damaged.length - 1} more damaged lines)` : ''}`,
      { hint: DAMAGED_HINT },
    );
  }
  return entries;
}

/** The fix the user can run from the drive alone. */
export const DAMAGED_HINT =
  "Run `lifeboat index rebuild <the destination's folder>`: it keeps every readable record, re-indexes the files the damaged lines described (by their sha256) and sets the damaged segments aside";
