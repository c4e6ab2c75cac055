import { createHash, randomUUID } from 'node:crypto';
import type { Destination, ObjectInfo } from '@lifeboat/plugin-api';
import { LifeboatError } from '@lifeboat/plugin-api';
import { copyKeyOf } from '../sidecar/keys.js';
import {
  ALBUM_VIEW_PREFIX,
  type DestinationMarker,
  INDEX_FORMAT_VERSION,
  type IndexEntry,
  MARKER_KEY,
  META_PREFIX,
} from './format.js';
import { appendIndex, scanIndex } from './index-store.js';
import { readAll, writeBuffer } from './io.js';
import { inspectMarker } from './marker.js';
import type { DamagedIndexLine } from './parse-entry.js';

/** Where damaged bookkeeping is set aside (never deleted: a person may still want to read it). */
export const DAMAGED_PREFIX = `${META_PREFIX}damaged/`;

export interface RebuildSummary {
  /** Copies on the destination (its bookkeeping aside). */
  files: number;
  /** Copies a readable record already described. */
  alreadyIndexed: number;
  /** Copies re-indexed from their bytes (sha256 read now); their capture date and albums are not known. */
  added: IndexEntry[];
  damagedLines: DamagedIndexLine[];
  /** Damaged segments (and marker) moved under DAMAGED_PREFIX once their readable records were rewritten. */
  setAside: string[];
  marker: { state: 'kept' | 'written'; id: string };
}

/**
 * Rebuilds a destination's index and marker from what it holds, for a drive whose bookkeeping was lost or
 * damaged: readable records are kept as they are; every copy no readable record describes is read and indexed
 * by its sha256; damaged segments are rewritten without their bad lines (the originals set aside); a damaged or
 * missing marker is written anew. Copies themselves are only read.
 */
export async function rebuildIndex(
  destination: Destination,
  options: { name: string; now: Date; onFile?: (key: string) => void },
): Promise<RebuildSummary> {
  const scan = await scanIndex(destination);
  const indexed = new Set(scan.entries.map((e) => e.key));
  const copiedAt = options.now.toISOString();
  const added: IndexEntry[] = [];
  let files = 0;
  // An album view's names are links to copies, not copies: indexing them would count each photo twice.
  const albumView = (await destination.describe().catch(() => undefined))?.albumView === true;
  const listed: ObjectInfo[] = [];
  for await (const info of destination.list('')) {
    if (info.key.startsWith(META_PREFIX) || (albumView && info.key.startsWith(ALBUM_VIEW_PREFIX))) continue;
    listed.push(info);
  }
  // A sidecar beside a file is not a copy of its own: it is listed in its copy's entry, or written anew by a run.
  const keys = new Set(listed.map((i) => i.key));
  const sidecars = new Set(scan.entries.flatMap((e) => (e.sidecar ? [e.sidecar.key] : [])));
  for (const info of listed) {
    const base = copyKeyOf(info.key);
    if (sidecars.has(info.key) || (base !== undefined && keys.has(base))) continue;
    files++;
    if (indexed.has(info.key)) continue;
    options.onFile?.(info.key);
    // Not the file's time: a copy carries its capture time, which says nothing of when it was copied.
    added.push(await entryFromBytes(destination, info.key, copiedAt));
  }
  if (files === 0 && scan.entries.length === 0 && scan.damaged.length === 0) {
    // An empty folder is most likely an unmounted drive's mount point: a marker written there would pass it off
    // as a backup.
    if ((await inspectMarker(destination)).state === 'missing') {
      throw nothingToRebuild((await destination.describe().catch(() => undefined))?.location ?? options.name);
    }
  }
  const damagedSegments = [...new Set(scan.damaged.map((d) => d.segment))];
  // A damaged segment's readable records go into the new segment before it is set aside, so none is lost.
  const toWrite = damagedSegments.length > 0 ? [...scan.entries, ...added] : added;
  if (toWrite.length > 0) await appendIndex(destination, toWrite, options.now);
  const setAside: string[] = [];
  for (const segment of damagedSegments) setAside.push(await setAsideObject(destination, segment, options.now));
  const marker = await ensureMarker(destination, options.name, copiedAt, options.now, setAside);
  return { files, alreadyIndexed: files - added.length, added, damagedLines: scan.damaged, setAside, marker };
}

async function entryFromBytes(destination: Destination, key: string, copiedAt: string): Promise<IndexEntry> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of await destination.read(key)) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  const sha256 = hash.digest('hex');
  return {
    v: INDEX_FORMAT_VERSION,
    key,
    source: 'rebuilt',
    assetId: `sha256:${sha256}`,
    kind: 'original',
    version: sha256,
    fileName: key.split('/').pop() ?? key,
    size,
    sha256,
    albums: [],
    favorite: false,
    hidden: false,
    copiedAt,
  };
}

/** Copies a bookkeeping object under DAMAGED_PREFIX, then removes the original. */
async function setAsideObject(destination: Destination, key: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const target = `${DAMAGED_PREFIX}${stamp}-${key.slice(META_PREFIX.length).replaceAll('/', '-')}`;
  await writeBuffer(destination, target, await readAll(await destination.read(key)), true);
  await destination.delete(key);
  return target;
}

async function ensureMarker(
  destination: Destination,
  name: string,
  createdAt: string,
  now: Date,
  setAside: string[],
): Promise<RebuildSummary['marker']> {
  const state = await inspectMarker(destination);
  if (state.state === 'ok') return { state: 'kept', id: state.marker.id };
  if (state.state === 'damaged') {
    const target = `${DAMAGED_PREFIX}${now.toISOString().replace(/[-:.]/g, '')}-destination.json`;
    await writeBuffer(destination, target, await readAll(await destination.read(MARKER_KEY)), true);
    setAside.push(target);
  }
  const marker: DestinationMarker = { format: 'lifeboat-destination', version: 1, id: randomUUID(), name, createdAt };
  await writeBuffer(destination, MARKER_KEY, Buffer.from(`${JSON.stringify(marker, null, 2)}\n`), true);
  return { state: 'written', id: marker.id };
}

/** A folder that holds nothing of Lifeboat's and no files either: a wrong path or an unmounted drive. */
function nothingToRebuild(location: string): LifeboatError {
  return new LifeboatError('LIFEBOAT_NOTHING_TO_REBUILD', `${location} holds no files and no Lifeboat index`, {
    hint: 'Give the folder of the backup (the one that holds the year folders and .lifeboat/)',
  });
}
