import { LifeboatError, type Logger, type RetryPolicy, withRetry } from '@lifeboat/plugin-api';
import { CLIENT_BUILD } from '../auth/endpoints.js';
import type { IcloudSession } from '../auth/session.js';
import { misdirected } from '../auth/sign-in-errors.js';
import {
  cloudKitError,
  ICLOUD_ERRORS,
  indexing,
  indexingState,
  isThrottled,
  loginRequired,
  protocolError,
  webAccessOff,
} from '../errors.js';
import { arrayAt, booleanAt, isObject, type Json, stringAt } from '../json.js';
import { DESIRED_KEYS } from './desired-keys.js';
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
  #throttles = 0;

  constructor(
    readonly session: IcloudSession,
    readonly options: CloudKitOptions = {},
  ) {}

  /** POSTs a JSON body to `{db}/{path}` and returns the checked JSON answer. */
  async post(database: 'private' | 'shared', path: string, body: unknown, signal?: AbortSignal): Promise<Json> {
    return withRetry(() => this.#postOnce(database, path, body, signal), this.options.retry ?? DEFAULT_LIST_RETRY, {
      ...(signal ? { signal } : {}),
      onRetry: ({ attempt, delayMs, error }) => {
        if (isThrottled(error)) this.#throttles++;
        this.options.logger?.warn('iCloud asked to slow down; retrying', {
          attempt,
          delayMs,
          error: error instanceof Error ? error.message : String(error),
        });
      },
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
        // Renewing the session also asks Apple again where the photo database lives (a 421 "partition" answer
        // means the account moved to another server); once is enough, then a clear error.
        if (renewed) {
          if (r.status === 421 && isMisdirected(r.json, r.text)) throw misdirected(this.options.sourceName);
          throw loginRequired('iCloud refused the renewed session', this.options.sourceName);
        }
        await this.session.reauthenticate(generation, signal);
        continue;
      }
      const error = this.#error(r.status, r.json);
      if (error instanceof LifeboatError && error.code === ICLOUD_ERRORS.NOT_ACTIVATED)
        throw (await this.#webAccessTurnedOff(signal)) ?? error;
      if (error) throw error;
      if (r.json === undefined || !isObject(r.json)) throw protocolError(`${path} did not answer with JSON`);
      return r.json;
    }
  }

  /** Throttled answers seen so far (each retried with backoff): the listing slows down when this grows. */
  get throttles(): number {
    return this.#throttles;
  }

  #error = (status: number, body: Json | undefined): Error | undefined =>
    cloudKitError(status, body, this.options.sourceName, this.session.account?.advancedDataProtection ?? false);

  /**
   * ZONE_NOT_FOUND is also how CloudKit answers once web access was switched off under Advanced Data
   * Protection: the account answer (validate, one request) tells the two apart.
   */
  async #webAccessTurnedOff(signal?: AbortSignal): Promise<Error | undefined> {
    const account = await this.session.auth.validate(signal).catch(() => undefined);
    if (!account || (account.webAccessAllowed && !account.advancedDataProtection)) return undefined;
    return webAccessOff(
      account.webAccessAllowed ? 'Advanced Data Protection is on' : 'Access iCloud Data on the Web is off',
    );
  }

  /** CheckIndexingState (docs/icloud-protocol.md §Indexing state): throws INDEXING unless the library is ready. */
  async checkIndexing(library: LibraryRef, signal?: AbortSignal): Promise<void> {
    const json = await this.post(
      library.database,
      'records/query',
      { query: { recordType: 'CheckIndexingState' }, zoneID: zoneBody(library.zone) },
      signal,
    );
    checkRecordErrors(json, this.#error);
    const { state, progress } = indexingState(json);
    if (state !== 'FINISHED') throw indexing(progress);
  }

  /** The account's libraries (docs/icloud-protocol.md §Libraries): the primary one and any shared one, in both DBs. */
  async libraries(
    signal?: AbortSignal,
    databases: readonly ('private' | 'shared')[] = ['private', 'shared'],
  ): Promise<LibraryRef[]> {
    const out: LibraryRef[] = [];
    for (const database of databases) {
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
    return readPage(json, this.#error);
  }

  /** A query without paging fields (the album list, docs/icloud-protocol.md §Albums). */
  async query(library: LibraryRef, recordType: string, signal?: AbortSignal): Promise<QueryPage> {
    const json = await this.post(
      library.database,
      'records/query',
      { query: { recordType }, zoneID: zoneBody(library.zone) },
      signal,
    );
    return readPage(json, this.#error);
  }

  /** Fetches records by name (fresh download URLs for `open`). */
  async lookup(library: LibraryRef, recordNames: string[], signal?: AbortSignal): Promise<CkRecord[]> {
    const json = await this.post(
      library.database,
      'records/lookup',
      { records: recordNames.map((recordName) => ({ recordName })), zoneID: zoneBody(library.zone) },
      signal,
    );
    return readPage(json, this.#error, { keepRecordErrors: true }).records;
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
    const zoneError = this.#error(200, zone);
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

/**
 * A 421 that is not a session answer: Misdirected Request from a host that no longer serves this account
 * (Apple moved it to another partition). A session 421 carries CloudKit's JSON (AUTHENTICATION_REQUIRED, ...).
 */
function isMisdirected(json: Json | undefined, text: string): boolean {
  if (/misdirected|partition/i.test(text)) return true;
  return (
    !isObject(json) ||
    (stringAt(json, 'serverErrorCode') === undefined &&
      stringAt(json, 'reason') === undefined &&
      stringAt(json, 'error') === undefined)
  );
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

type ErrorMapper = (status: number, body: Json | undefined) => Error | undefined;

function readPage(json: Json, mapError: ErrorMapper, options: { keepRecordErrors?: boolean } = {}): QueryPage {
  const list = arrayAt(json, 'records');
  if (!list) throw protocolError('records/query answered without records');
  if (!options.keepRecordErrors) checkRecordErrors(json, mapError);
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
function checkRecordErrors(json: Json, mapError: ErrorMapper): void {
  for (const item of arrayAt(json, 'records') ?? []) {
    if (isObject(item) && typeof item.serverErrorCode === 'string') {
      const error = mapError(200, item);
      if (error) throw error;
    }
  }
}
