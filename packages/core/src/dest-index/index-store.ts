import { randomBytes } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';
import { ErrorCode, LifeboatError } from '@lifeboat/plugin-api';
import { INDEX_FORMAT_VERSION, INDEX_PREFIX, type IndexEntry } from './format.js';
import { readAll, writeBuffer } from './io.js';

/** Appends entries as a new, atomically written segment: a crash never leaves a half-written index. */
export async function appendIndex(destination: Destination, entries: IndexEntry[], now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const key = `${INDEX_PREFIX}${stamp}-${randomBytes(4).toString('hex')}.jsonl`;
  const body = `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
  await writeBuffer(destination, key, Buffer.from(body, 'utf8'));
  return key;
}

/**
 * Reads every index segment and yields one entry per key (the latest record wins). Refuses a segment written
 * by a newer Lifeboat rather than guessing at its meaning.
 */
export async function readIndex(destination: Destination): Promise<IndexEntry[]> {
  const byKey = new Map<string, IndexEntry>();
  const segments: string[] = [];
  for await (const info of destination.list(INDEX_PREFIX)) if (info.key.endsWith('.jsonl')) segments.push(info.key);
  segments.sort();
  for (const segment of segments) {
    const text = (await readAll(await destination.read(segment))).toString('utf8');
    let lineNo = 0;
    for (const line of text.split('\n')) {
      lineNo++;
      if (line.trim() === '') continue;
      const entry = parseEntry(line, segment, lineNo);
      const prior = byKey.get(entry.key);
      if (!prior || prior.copiedAt <= entry.copiedAt) byKey.set(entry.key, entry);
    }
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

const DAMAGED_HINT = 'Restore the index from another destination, or remove the damaged segment';

function parseEntry(line: string, segment: string, lineNo: number): IndexEntry {
  let entry: IndexEntry;
  try {
    entry = JSON.parse(line) as IndexEntry;
  } catch (cause) {
    throw new LifeboatError(ErrorCode.BadIndex, `Index segment ${segment} line ${lineNo} is not valid JSON`, {
      hint: DAMAGED_HINT,
      cause,
    });
  }
  // Only a record that says which format it is in can be too new; anything else is damage.
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || typeof entry.v !== 'number') {
    throw new LifeboatError(
      ErrorCode.BadIndex,
      `Index segment ${segment} line ${lineNo} is not an index record (no format version)`,
      { hint: DAMAGED_HINT },
    );
  }
  if (entry.v > INDEX_FORMAT_VERSION) {
    throw new LifeboatError(
      ErrorCode.IndexTooNew,
      `Index segment ${segment} was written by a newer Lifeboat (format ${String(entry.v)}, this one reads up to ${INDEX_FORMAT_VERSION})`,
      { hint: 'Upgrade Lifeboat to restore from this destination' },
    );
  }
  if (typeof entry.key !== 'string' || typeof entry.sha256 !== 'string' || typeof entry.size !== 'number') {
    throw new LifeboatError(ErrorCode.BadIndex, `Index segment ${segment} line ${lineNo} lacks key, size or sha256`, {
      hint: DAMAGED_HINT,
    });
  }
  return entry;
}
