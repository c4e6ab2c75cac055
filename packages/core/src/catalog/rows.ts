import { sidecarKey } from '../sidecar/keys.js';
import type { CatalogResource, CopyRecord, IndexableCopy, PendingCopy, RunRecord, VanishedRecord } from './types.js';

// Row shapes as SQLite returns them (NULL as null, booleans as 0/1, JSON as text), and their mapping to the
// public types. Kept in one place so every query selects the same column names.

type Row = Record<string, unknown>;

const opt = (value: unknown): string | undefined => (value === null ? undefined : (value as string));

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

// presentResources() reads rows as arrays (setReturnArrays): a third faster than objects on the hot path of a
// million-row plan. The column order here and the indexes in toResource() must match.
export const RESOURCE_COLUMNS = `
  r.source, r.asset_id, r.kind, r.version, r.file_name, r.size, r.locator, r.sha256, r.media_type,
  a.file_name AS asset_file_name, a.captured_at, a.time_zone, a.added_at, a.albums, a.favorite, a.hidden,
  json_extract(a.details, '$.folder') AS folder`;

export function toResource(row: readonly unknown[]): CatalogResource {
  return {
    source: row[0] as string,
    assetId: row[1] as string,
    kind: row[2] as string,
    version: row[3] as string,
    fileName: row[4] as string,
    size: row[5] as number,
    locator: opt(row[6]),
    sha256: opt(row[7]),
    mediaType: opt(row[8]),
    assetFileName: row[9] as string,
    capturedAt: opt(row[10]),
    timeZone: opt(row[11]),
    addedAt: opt(row[12]),
    albums: parseJson<string[]>(row[13], []),
    favorite: row[14] === 1,
    hidden: row[15] === 1,
    ...(typeof row[16] === 'string' && row[16] !== '' ? { folder: row[16] } : {}),
  };
}

/** Index of the optional copy bitmask column, after RESOURCE_COLUMNS. */
export const COPIED_MASK_COLUMN = 17;

export const COPY_COLUMNS = `
  c.destination, c.source, c.asset_id, c.kind, c.version, c.key, c.size, c.sha256, c.copied_at, c.verified_at,
  c.indexed, c.sidecar_size, c.sidecar_sha256`;

export function toCopy(row: Row): CopyRecord {
  return {
    destination: row.destination as string,
    source: row.source as string,
    assetId: row.asset_id as string,
    kind: row.kind as string,
    version: row.version as string,
    key: row.key as string,
    size: row.size as number,
    sha256: row.sha256 as string,
    copiedAt: row.copied_at as string,
    verifiedAt: row.verified_at as string,
    indexed: row.indexed === 1,
    ...(typeof row.sidecar_sha256 === 'string'
      ? {
          sidecar: { key: sidecarKey(row.key as string), size: row.sidecar_size as number, sha256: row.sidecar_sha256 },
        }
      : {}),
  };
}

/** Copies joined (LEFT: the asset row should exist, but a copy must never be hidden by its absence). */
export const INDEXABLE_FROM = `
  FROM copies c
  LEFT JOIN assets a ON a.source = c.source AND a.asset_id = c.asset_id
  LEFT JOIN resources r ON r.source = c.source AND r.asset_id = c.asset_id AND r.kind = c.kind`;

export const INDEXABLE_COLUMNS = `${COPY_COLUMNS},
  COALESCE(r.file_name, a.file_name) AS file_name, a.captured_at, a.time_zone, a.albums, a.favorite, a.hidden,
  json_extract(a.details, '$.folder') AS folder, json_extract(a.details, '$.albumFolders') AS album_folders`;

export function toIndexable(row: Row): IndexableCopy {
  const copy = toCopy(row);
  return {
    ...copy,
    // Last resort when the catalog lost the asset: the key's last segment is the sanitised name.
    fileName: opt(row.file_name) ?? copy.key.slice(copy.key.lastIndexOf('/') + 1),
    capturedAt: opt(row.captured_at),
    timeZone: opt(row.time_zone),
    albums: parseJson<string[]>(row.albums, []),
    ...(typeof row.album_folders === 'string' ? { albumFolders: parseJson(row.album_folders, {}) } : {}),
    ...(typeof row.folder === 'string' && row.folder !== '' ? { folder: row.folder } : {}),
    favorite: row.favorite === 1,
    hidden: row.hidden === 1,
  };
}

export function toPending(row: Row): PendingCopy {
  return {
    destination: row.destination as string,
    key: row.key as string,
    source: row.source as string,
    assetId: row.asset_id as string,
    kind: row.kind as string,
    version: row.version as string,
    startedAt: row.started_at as string,
  };
}

export function toRun(row: Row): RunRecord {
  return {
    runId: row.run_id as number,
    plan: row.plan as string,
    startedAt: row.started_at as string,
    finishedAt: opt(row.finished_at),
    ok: row.ok === null ? undefined : row.ok === 1,
    filesCopied: row.files_copied as number,
    bytesCopied: row.bytes_copied as number,
    goneCount: row.gone_count as number,
    summary: parseJson<unknown>(row.summary, undefined),
  };
}

export function toVanished(row: Row): VanishedRecord {
  return {
    source: row.source as string,
    assetId: row.asset_id as string,
    fileName: row.file_name as string,
    firstMissingAt: row.first_missing_at as string,
    lastSeenAt: row.last_seen_at as string,
    inSourceTrash: row.in_trash === 1,
    ...(typeof row.purge_at === 'string' ? { purgeAt: row.purge_at } : {}),
  };
}
