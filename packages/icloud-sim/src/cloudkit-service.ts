/**
 * The Photos CloudKit database (`{ckdatabasews}/database/1/com.apple.photos.cloud/production/{private|shared}/...`,
 * docs/icloud-protocol.md §Photos database): records/query (indexing state, albums, each listing index with startRank
 * paging), internal/records/query/batch (HyperionIndexCountLookup counts), zones/list, changes/zone with sync
 * tokens, and records/modify (soft delete, hide, favourite). Error codes and HTTP statuses follow CloudKit's table.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context.js';
import { downloadUrl } from './download-urls.js';
import { asRecord, parseCookies, sendJson } from './http-util.js';
import type { Library } from './library.js';
import {
  albumRecord,
  assetRecord,
  type CkRecord,
  containerRelationRecord,
  countRecord,
  indexingStateRecord,
  masterRecord,
  tombstone,
  type UrlSigner,
  zoneIdOf,
} from './records.js';
import { WEB_TOKEN_COOKIE } from './setup-service.js';
import type { SmartAlbum } from './smart-albums.js';
import { currentToken, decodeToken, encodeToken } from './sync-token.js';

export const CK_PREFIX = '/database/1/com.apple.photos.cloud/production/';

/** Listing index (records/query recordType) → library ordering. */
const LIST_TYPES: Record<string, string> = {
  CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted: 'all',
  CPLAssetAndMasterByAssetDate: 'all',
  CPLAssetAndMasterByAddedDate: 'added',
  CPLAssetAndMasterDeletedByExpungedDate: 'deleted',
  CPLAssetAndMasterHiddenByAssetDate: 'hidden',
  CPLBurstStackAssetAndMasterByAssetDate: 'smart:BURST',
};

const SMART_COUNT: Record<string, SmartAlbum> = {
  Favorite: 'FAVORITE',
  Video: 'VIDEO',
  Live: 'LIVE',
  Panorama: 'PANORAMA',
  Screenshot: 'SCREENSHOT',
  Slomo: 'SLOMO',
  Timelapse: 'TIMELAPSE',
};

/** Count index (HyperionIndexCountLookup indexCountID) → library ordering. */
function countOrdering(id: string): string | undefined {
  const [name, arg] = id.split(':') as [string, string | undefined];
  switch (name) {
    case 'CPLAssetByAssetDateWithoutHiddenOrDeleted':
    case 'CPLAssetByAssetDate':
      return 'all';
    case 'CPLAssetByAddedDate':
      return 'added';
    case 'CPLAssetDeletedByExpungedDate':
      return 'deleted';
    case 'CPLAssetHiddenByAssetDate':
      return 'hidden';
    case 'CPLAssetBurstStackAssetByAssetDate':
      return 'smart:BURST';
    case 'CPLAssetInSmartAlbumByAssetDate':
      return arg && SMART_COUNT[arg] ? `smart:${SMART_COUNT[arg]}` : undefined;
    case 'CPLContainerRelationNotDeletedByAssetDate':
      return arg ? `album:${arg}` : undefined;
    default:
      return undefined;
  }
}

const SMALL_QUERIES = new Set(['CheckIndexingState', 'HyperionIndexCountLookup', 'CPLAlbumByPositionLive']);

/** A listing page (the slow kind at Apple's pace): `changes/zone`, or `records/query` on an asset index. */
export function isListingRequest(op: string, body: unknown): boolean {
  if (op === 'changes/zone') return true;
  if (op !== 'records/query') return false;
  return !SMALL_QUERIES.has(String(asRecord(asRecord(body).query).recordType ?? ''));
}

class CkError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}

function ckError(res: ServerResponse, error: CkError, extra: Record<string, unknown> = {}): void {
  sendJson(res, error.status, { uuid: randomUUID(), serverErrorCode: error.code, reason: error.message, ...extra });
}

type Filter = Map<string, unknown>;

function filters(query: Record<string, unknown>): Filter {
  const out: Filter = new Map();
  const list = Array.isArray(query.filterBy) ? query.filterBy : query.filterBy ? [query.filterBy] : [];
  for (const item of list) {
    const f = asRecord(item);
    if (typeof f.fieldName === 'string') out.set(f.fieldName, asRecord(f.fieldValue).value);
  }
  return out;
}

export class CloudKitService {
  private readonly sign: UrlSigner;

  constructor(private readonly ctx: SimContext) {
    this.sign = (library, state, field, version) => downloadUrl(ctx, library, state, field, version);
  }

  private database(library: Library): 'private' | 'shared' {
    return library === this.ctx.libraries[0] ? 'private' : 'shared';
  }

  private zone(db: string, zoneID: unknown): Library {
    const name = asRecord(zoneID).zoneName;
    const library = this.ctx.libraries.find((l) => l.zoneName === name && this.database(l) === db);
    if (!library) throw new CkError(404, 'ZONE_NOT_FOUND', `Zone '${String(name)}' does not exist`);
    return library;
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): Promise<void> {
    const { ctx } = this;
    const slash = path.indexOf('/');
    const db = path.slice(0, slash);
    const op = path.slice(slash + 1);
    if (ctx.faults.expireSessionsAfter !== null) {
      if (ctx.faults.expireSessionsAfter <= 0) {
        ctx.sessions.expireWebSessions();
        ctx.faults.expireSessionsAfter = null;
      } else ctx.faults.expireSessionsAfter--;
    }
    const web = ctx.sessions.webSession(parseCookies(req).get(WEB_TOKEN_COOKIE));
    if (!web) {
      return sendJson(res, 421, {
        uuid: randomUUID(),
        serverErrorCode: 'AUTHENTICATION_REQUIRED',
        reason: 'Invalid global session',
        error: 2,
      });
    }
    if (ctx.faults.accessDenied || (!web.account.webAccess && !web.account.advancedDataProtection)) {
      return ckError(res, new CkError(403, 'ACCESS_DENIED', 'private db access disabled for this account'));
    }
    // Web access switched off under Advanced Data Protection: the zones are no longer offered to the web.
    if (!web.account.webAccess) {
      return ckError(res, new CkError(404, 'ZONE_NOT_FOUND', 'Zone does not exist'));
    }
    try {
      if (db !== 'private' && db !== 'shared') throw new CkError(404, 'NOT_FOUND', `no database ${db}`);
      const input = asRecord(body);
      switch (op) {
        case 'zones/list':
          return sendJson(res, 200, this.zonesList(db));
        case 'records/query':
          return sendJson(res, 200, this.query(db, input));
        case 'internal/records/query/batch':
          return sendJson(res, 200, {
            batch: (Array.isArray(input.batch) ? input.batch : []).map((item) => this.query(db, asRecord(item))),
          });
        case 'changes/zone':
          return sendJson(res, 200, this.changes(db, input));
        case 'records/modify':
          return sendJson(res, 200, this.modify(db, input));
        default:
          throw new CkError(404, 'NOT_FOUND', `unsupported operation ${op}`);
      }
    } catch (error) {
      if (error instanceof CkError) return ckError(res, error);
      throw error;
    }
  }

  private zonesList(db: string) {
    const libraries = this.ctx.libraries.filter((l) => this.database(l) === db);
    return {
      moreComing: false,
      syncToken: libraries[0] ? currentToken(libraries[0]) : 'AQ',
      zones: libraries.map((l) => ({ zoneID: { ...zoneIdOf(l), zoneType: 'REGULAR_CUSTOM_ZONE' } })),
    };
  }

  private query(db: string, input: Record<string, unknown>): Record<string, unknown> {
    const library = this.zone(db, input.zoneID);
    const query = asRecord(input.query);
    const recordType = String(query.recordType ?? '');
    const filter = filters(query);
    const syncToken = currentToken(library);

    if (recordType === 'CheckIndexingState') {
      return { records: [indexingStateRecord(library, !this.ctx.faults.indexingNotFinished)], syncToken };
    }
    if (recordType === 'HyperionIndexCountLookup') {
      const ids = filter.get('indexCountID');
      const records = (Array.isArray(ids) ? ids : [ids]).map((id) => {
        const ordering = countOrdering(String(id));
        if (!ordering) throw new CkError(400, 'BAD_REQUEST', `unknown index ${String(id)}`);
        return countRecord(library, String(id), library.ordering(ordering).length);
      });
      return { records, syncToken };
    }
    if (recordType === 'CPLAlbumByPositionLive') {
      return { records: library.albums.map((album) => albumRecord(library, album)), syncToken };
    }

    let ordering = LIST_TYPES[recordType];
    if (recordType === 'CPLAssetAndMasterInSmartAlbumByAssetDate')
      ordering = `smart:${String(filter.get('smartAlbum'))}`;
    if (recordType === 'CPLContainerRelationLiveByAssetDate') ordering = `album:${String(filter.get('parentId'))}`;
    if (!ordering) throw new CkError(400, 'BAD_REQUEST', `Unknown record type or index: ${recordType}`);

    const ranks = library.ordering(ordering);
    const limit = Math.max(2, Number(input.resultsLimit ?? 200));
    const perPage = Math.floor(limit / 2); // one CPLMaster and one CPLAsset per item
    const marker =
      typeof input.continuationMarker === 'string'
        ? Number(Buffer.from(input.continuationMarker, 'base64').toString())
        : NaN;
    const start = Number.isInteger(marker) ? marker : Math.max(0, Number(filter.get('startRank') ?? 0));
    const descending = filter.get('direction') === 'DESCENDING';
    const masters: CkRecord[] = [];
    const assets: CkRecord[] = [];
    for (let rank = start; rank < Math.min(ranks.length, start + perPage); rank++) {
      const index = ranks[descending ? ranks.length - 1 - rank : rank]!;
      const state = library.state(index);
      masters.push(masterRecord(library, state, this.sign));
      assets.push(assetRecord(library, state, this.sign));
    }
    const next = start + perPage;
    return {
      records: [...masters, ...assets],
      ...(next < ranks.length ? { continuationMarker: Buffer.from(String(next)).toString('base64') } : {}),
      syncToken,
    };
  }

  private changes(db: string, input: Record<string, unknown>) {
    const zones = Array.isArray(input.zones) ? input.zones : [];
    return {
      zones: zones.map((item) => {
        const request = asRecord(item);
        const library = this.zone(db, request.zoneID);
        const zoneID = zoneIdOf(library);
        const token = typeof request.syncToken === 'string' && request.syncToken ? request.syncToken : undefined;
        const from = token ? decodeToken(library, token) : { full: true, seq: 0, index: -1 };
        if (from === undefined || from === 'expired') {
          return {
            zoneID,
            serverErrorCode: 'CHANGE_TOKEN_EXPIRED',
            reason: from === 'expired' ? 'sync token expired, refetch the zone' : 'malformed sync token',
          };
        }
        const limit = Math.max(2, Number(request.resultsLimit ?? 200));
        const page = library.changesAfter(from, Math.floor(limit / 2));
        const records: CkRecord[] = [];
        for (const index of page.indexes) {
          const state = library.state(index);
          if (state.isExpunged) {
            records.push(tombstone(library, state.spec.masterId), tombstone(library, state.spec.assetId));
          } else {
            records.push(masterRecord(library, state, this.sign), assetRecord(library, state, this.sign));
            if (state.albumsChanged && !from.full) records.push(containerRelationRecord(library, state));
          }
        }
        return { zoneID, syncToken: encodeToken(library, page.next), moreComing: page.more, records };
      }),
    };
  }

  private modify(db: string, input: Record<string, unknown>) {
    const library = this.zone(db, input.zoneID);
    const ops = (Array.isArray(input.operations) ? input.operations : []).map((op) => asRecord(asRecord(op).record));
    // Checked first for every record: with `atomic`, one refusal applies none of the batch (CloudKit answers the
    // refused record's own error and ATOMIC_ERROR for the others).
    const refusals = ops.map((record) => this.refusal(library, record));
    if (input.atomic === true && refusals.some((r) => r !== undefined)) {
      const records = ops.map(
        (record, i) =>
          refusals[i] ?? {
            recordName: String(record.recordName),
            serverErrorCode: 'ATOMIC_ERROR',
            reason: 'Atomic failure: another record in the batch was refused',
          },
      );
      return { records, syncToken: currentToken(library) };
    }
    const records: Record<string, unknown>[] = [];
    ops.forEach((record, i) => {
      const refused = refusals[i];
      if (refused !== undefined) {
        records.push(refused);
        return;
      }
      const index = library.find(String(record.recordName))!;
      const fields = asRecord(record.fields);
      const value = (key: string) => asRecord(fields[key]).value;
      if (value('isDeleted') === 1) library.delete({ indexes: [index] });
      if (value('isHidden') !== undefined || value('isFavorite') !== undefined) {
        library.setFlags(
          { indexes: [index] },
          {
            ...(value('isHidden') !== undefined ? { hidden: value('isHidden') === 1 } : {}),
            ...(value('isFavorite') !== undefined ? { favorite: value('isFavorite') === 1 } : {}),
          },
        );
      }
      const after = library.state(index);
      const out = assetRecord(library, after, this.sign);
      const keys = Object.keys(fields);
      out.fields = Object.fromEntries(Object.entries(out.fields ?? {}).filter(([key]) => keys.includes(key)));
      records.push(out as unknown as Record<string, unknown>);
    });
    return { records, syncToken: currentToken(library) };
  }

  /** Why CloudKit would refuse this record update, as its per-record answer; undefined when it would apply. */
  private refusal(library: Library, record: Record<string, unknown>): Record<string, unknown> | undefined {
    const name = String(record.recordName);
    const index = library.find(name);
    if (index === undefined || library.state(index).isExpunged) {
      return { recordName: name, serverErrorCode: 'NOT_FOUND', reason: 'Record not found' };
    }
    if (record.recordChangeTag !== undefined && record.recordChangeTag !== library.state(index).recordChangeTag) {
      return { recordName: name, serverErrorCode: 'CONFLICT', reason: 'recordChangeTag mismatch' };
    }
    return undefined;
  }
}
