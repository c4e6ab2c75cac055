import { type Logger, type RetryPolicy, withRetry } from '@lifeboat/core';
import { CLIENT_BUILD } from '../auth/endpoints.js';
import type { IcloudSession } from '../auth/session.js';
import { cloudKitError, indexing, indexingState, loginRequired, protocolError } from '../errors.js';
import { arrayAt, booleanAt, isObject, type Json, stringAt } from '../json.js';
import type { LibraryRef } from './locator.js';
import { type CkRecord, readRecord, readZoneId, type ZoneId } from './records.js';

/** Throttling (503) is retried here with backoff before giving up with a retryable error. */
export const DEFAULT_LIST_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface CloudKitOptions {
  retry?: RetryPolicy;
  logger?: Logger;
  sourceName?: string;
}

export interface QueryPage {
  records: CkRecord[];
  syncToken?: string;
}

export interface ZoneChanges {
  records: CkRecord[];
  syncToken?: string;
  moreComing: boolean;
}

/**
 * The Photos CloudKit database (docs/icloud-protocol.md §Photos database): every call checks its answer, maps Apple's
 * errors to what the user must do, renews an expired session once (421) without prompting, and backs off on 503.
 */
export class PhotosCloudKit {
  constructor(
    readonly session: IcloudSession,
    readonly options: CloudKitOptions = {},
  ) {}

  /** POSTs a JSON body to `{db}/{path}` and returns the checked JSON answer. */
  async post(database: 'private' | 'shared', path: string, body: unknown, signal?: AbortSignal): Promise<Json> {
    return withRetry(() => this.#postOnce(database, path, body, signal), this.options.retry ?? DEFAULT_LIST_RETRY, {
      ...(signal ? { signal } : {}),
      onRetry: ({ attempt, delayMs, error }) =>
        this.options.logger?.warn('iCloud asked to slow down; retrying', {
          attempt,
          delayMs,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
  }

  async #postOnce(database: 'private' | 'shared', path: string, body: unknown, signal?: AbortSignal): Promise<Json> {
    for (let renewed = false; ; renewed = true) {
      const generation = this.session.generation;
      const http = this.session.http;
      const base = http.state.ckdatabasewsUrl;
      if (!base) throw loginRequired('No iCloud session is open', this.options.sourceName);
      const url = new URL(`${base}/database/1/com.apple.photos.cloud/production/${database}/${path}`);
      if (path !== 'zones/list') {
        const params = {
          ...CLIENT_BUILD,
          clientId: http.state.clientId,
          dsid: http.state.dsid ?? '',
          remapEnums: 'True',
          getCurrentSyncToken: 'True',
        };
        for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      }
      const r = await http.requestJson(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify(body),
          ...(signal ? { signal } : {}),
        },
        'the iCloud photo library',
      );
      if (r.status === 421 || r.status === 450 || r.status === 401) {
        if (renewed) throw loginRequired('iCloud refused the renewed session', this.options.sourceName);
        await this.session.reauthenticate(generation, signal);
        continue;
      }
      const error = cloudKitError(r.status, r.json, this.options.sourceName);
      if (error) throw error;
      if (r.json === undefined || !isObject(r.json)) throw protocolError(`${path} did not answer with JSON`);
      return r.json;
    }
  }

  /** CheckIndexingState (docs/icloud-protocol.md §Indexing state): throws INDEXING unless the library is ready. */
  async checkIndexing(library: LibraryRef, signal?: AbortSignal): Promise<void> {
    const json = await this.post(
      library.database,
      'records/query',
      { query: { recordType: 'CheckIndexingState' }, zoneID: zoneBody(library.zone) },
      signal,
    );
    checkRecordErrors(json, this.options.sourceName);
    const { state, progress } = indexingState(json);
    if (state !== 'FINISHED') throw indexing(progress);
  }

  /** The account's libraries (docs/icloud-protocol.md §Libraries): the primary one and any shared one, in both DBs. */
  async libraries(signal?: AbortSignal): Promise<LibraryRef[]> {
    const out: LibraryRef[] = [];
    for (const database of ['private', 'shared'] as const) {
      let json: Json;
      try {
        json = await this.post(database, 'zones/list', {}, signal);
      } catch (error) {
        // The shared database is optional: an error there must not hide the primary library.
        if (database === 'shared' && !(error instanceof Error && 'retryable' in error && error.retryable)) continue;
        throw error;
      }
      out.push(...parseZones(json, database));
    }
    return out;
  }

  /** One page of an index (docs/icloud-protocol.md §Listing): up to `limit` records from `startRank`. */
  async queryPage(
    library: LibraryRef,
    recordType: string,
    startRank: number,
    limit: number,
    extraFilters: unknown[] = [],
    signal?: AbortSignal,
  ): Promise<QueryPage> {
    const json = await this.post(
      library.database,
      'records/query',
      {
        query: {
          filterBy: [
            { fieldName: 'startRank', fieldValue: { type: 'INT64', value: startRank }, comparator: 'EQUALS' },
            { fieldName: 'direction', fieldValue: { type: 'STRING', value: 'ASCENDING' }, comparator: 'EQUALS' },
            ...extraFilters,
          ],
          recordType,
        },
        resultsLimit: limit,
        desiredKeys: DESIRED_KEYS,
        zoneID: zoneBody(library.zone),
      },
      signal,
    );
    return readPage(json, this.options.sourceName);
  }

  /** A query without paging fields (the album list, docs/icloud-protocol.md §Albums). */
  async query(library: LibraryRef, recordType: string, signal?: AbortSignal): Promise<QueryPage> {
    const json = await this.post(
      library.database,
      'records/query',
      { query: { recordType }, zoneID: zoneBody(library.zone) },
      signal,
    );
    return readPage(json, this.options.sourceName);
  }

  /** Fetches records by name (fresh download URLs for `open`). */
  async lookup(library: LibraryRef, recordNames: string[], signal?: AbortSignal): Promise<CkRecord[]> {
    const json = await this.post(
      library.database,
      'records/lookup',
      { records: recordNames.map((recordName) => ({ recordName })), zoneID: zoneBody(library.zone) },
      signal,
    );
    return readPage(json, this.options.sourceName, { keepRecordErrors: true }).records;
  }

  /** One batch of `changes/zone` since `syncToken` (docs/icloud-protocol.md §Changes). */
  async zoneChanges(library: LibraryRef, syncToken: string, signal?: AbortSignal): Promise<ZoneChanges> {
    const json = await this.post(
      library.database,
      'changes/zone',
      { zones: [{ zoneID: zoneBody(library.zone), syncToken, resultsLimit: 500, desiredKeys: DESIRED_KEYS }] },
      signal,
    );
    const zone = arrayAt(json, 'zones')?.[0];
    if (!isObject(zone)) throw protocolError('changes/zone answered without a zone');
    const zoneError = cloudKitError(200, zone, this.options.sourceName);
    if (zoneError) throw zoneError;
    const records: CkRecord[] = [];
    for (const item of arrayAt(zone, 'records') ?? []) {
      const record = readRecord(item);
      if (record) records.push(record);
    }
    const out: ZoneChanges = { records, moreComing: booleanAt(zone, 'moreComing') ?? false };
    const token = stringAt(zone, 'syncToken');
    if (token) out.syncToken = token;
    return out;
  }
}

/** The photo libraries among one database's zones (docs/icloud-protocol.md §Libraries); deleted zones are skipped. */
export function parseZones(json: Json, database: 'private' | 'shared'): LibraryRef[] {
  const out: LibraryRef[] = [];
  for (const z of arrayAt(json, 'zones') ?? []) {
    if (!isObject(z) || booleanAt(z, 'deleted') === true) continue;
    const zone = readZoneId(z.zoneID);
    if (!zone) continue;
    if (zone.zoneName === 'PrimarySync' && database === 'private') out.push({ library: 'primary', database, zone });
    else if (zone.zoneName.startsWith('SharedSync-')) out.push({ library: 'shared', database, zone });
  }
  return out;
}

export function zoneBody(zone: ZoneId): Record<string, string> {
  const body: Record<string, string> = { zoneName: zone.zoneName };
  if (zone.ownerRecordName) body.ownerRecordName = zone.ownerRecordName;
  return body;
}

function readPage(json: Json, sourceName?: string, options: { keepRecordErrors?: boolean } = {}): QueryPage {
  const list = arrayAt(json, 'records');
  if (!list) throw protocolError('records/query answered without records');
  if (!options.keepRecordErrors) checkRecordErrors(json, sourceName);
  const records: CkRecord[] = [];
  for (const item of list) {
    const record = readRecord(item);
    if (record) records.push(record);
  }
  const page: QueryPage = { records };
  const token = stringAt(json, 'syncToken');
  if (token) page.syncToken = token;
  return page;
}

/** CloudKit reports some failures per record (`records[0].serverErrorCode`). */
function checkRecordErrors(json: Json, sourceName?: string): void {
  for (const item of arrayAt(json, 'records') ?? []) {
    if (isObject(item) && typeof item.serverErrorCode === 'string') {
      const error = cloudKitError(200, item, sourceName);
      if (error) throw error;
    }
  }
}

/** The fields a listing needs (a subset of icloudpd's 97 keys: no thumbnails' URLs are used). */
export const DESIRED_KEYS = [
  'resOriginalRes',
  'resOriginalFileType',
  'resOriginalWidth',
  'resOriginalHeight',
  'resOriginalAltRes',
  'resOriginalAltFileType',
  'resOriginalVidComplRes',
  'resOriginalVidComplFileType',
  'resJPEGFullRes',
  'resJPEGFullFileType',
  'resVidFullRes',
  'resVidFullFileType',
  'itemType',
  'dataClassType',
  'filenameEnc',
  'isDeleted',
  'isExpunged',
  'dateExpunged',
  'remappedRef',
  'recordName',
  'recordType',
  'recordChangeTag',
  'masterRef',
  'adjustmentRenderType',
  'adjustmentType',
  'assetDate',
  'addedDate',
  'isFavorite',
  'isHidden',
  'duration',
  'assetSubtype',
  'assetSubtypeV2',
  'timeZoneOffset',
  'containerId',
  'itemId',
  'position',
  'albumNameEnc',
  'albumType',
];
