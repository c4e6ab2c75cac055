/**
 * One photo library (a CloudKit zone): generated assets by index plus a sparse map of what changed since
 * (added, edited, deleted to Recently Deleted, expunged, hidden, favourite). Index orderings are built lazily on
 * first query and dropped on every change; every change bumps a sequence number that sync tokens refer to.
 */
import { type AlbumDef, albumsFor, inAlbum } from './albums.js';
import {
  type AddOptions,
  type AssetSpec,
  editedRender,
  generateAsset,
  localTime,
  type ResourceField,
  type ResourceSpec,
} from './asset-spec.js';
import type { ContentSpec } from './content.js';
import { type Descriptive, descriptiveOf } from './descriptive.js';
import { flagsOf, HIDDEN, SMART_FLAG } from './smart-albums.js';

const DAY = 86_400_000;

interface Override {
  changeSeq: number;
  added?: { at: number; options: AddOptions };
  editVersion?: number;
  deletedAt?: number;
  dateExpunged?: number;
  expunged?: boolean;
  hidden?: boolean;
  favorite?: boolean;
  /** Caption, keywords, place, zone name as changed through the control API (replacing the generated ones). */
  about?: Descriptive;
  /** Album memberships changed through the control API: album recordName -> member. */
  albums?: Record<string, boolean>;
}

/** The current state of one asset. */
export interface AssetState {
  spec: AssetSpec;
  index: number;
  /** Number of edits made through the simulator (0: as generated). */
  editVersion: number;
  /** The edited render (resJPEGFull), if the asset has one. */
  edit: ResourceSpec | undefined;
  isDeleted: boolean;
  deletedAt: number | undefined;
  dateExpunged: number | undefined;
  isExpunged: boolean;
  isHidden: boolean;
  isFavorite: boolean;
  about: Descriptive;
  /** Album memberships changed since generation (a change feed then carries a CPLContainerRelation). */
  albumsChanged: boolean;
  /** 0 = untouched since generation. */
  changeSeq: number;
  recordChangeTag: string;
}

/** A short summary, as the control API returns it. */
export interface AssetSummary {
  assetId: string;
  masterId: string;
  index: number;
  filename: string;
  kind: string;
  assetDate: number;
  /** Seconds east of UTC of the capture's wall clock, as the record's `timeZoneOffset` says. */
  timeZoneOffset: number;
  isDeleted: boolean;
  isExpunged: boolean;
  isHidden: boolean;
  isFavorite: boolean;
  caption?: string;
  keywords?: string[];
  location?: { latitude: number; longitude: number; altitude: number };
  timeZoneName?: string;
  /** As albumNamesOf: `Folder/Album` for an album inside a folder. */
  albums: string[];
  resources: Record<string, { size: number; fileType: string }>;
}

export interface ChangePosition {
  /** Still inside the initial full listing. */
  full: boolean;
  seq: number;
  index: number;
}

export type Selection = { ids: string[] } | { count: number } | { indexes: number[] };

export interface LibraryOptions {
  seed: number;
  zoneName: string;
  ownerRecordName: string;
  count: number;
  sizeScale?: number;
  now: () => number;
  /** User albums exist in this zone (shared libraries expose none). */
  albums?: boolean;
}

export class Library {
  readonly seed: number;
  readonly zoneName: string;
  readonly ownerRecordName: string;
  readonly albums: AlbumDef[];
  private readonly sizeScale: number;
  private readonly now: () => number;
  private readonly baseCount: number;
  private total: number;
  private readonly overrides = new Map<number, Override>();
  private readonly indexCache = new Map<string, Int32Array>();
  private idLookup: Map<string, number> | undefined;
  private keys: { assetDate: Float64Array; addedDate: Float64Array; flags: Uint8Array } | undefined;
  /** Bumped on every change; a sync token names the sequence it has seen. */
  seq = 0;
  /** Bumped to invalidate every sync token handed out so far (CHANGE_TOKEN_EXPIRED). */
  tokenEpoch = 1;

  constructor(options: LibraryOptions) {
    this.seed = options.seed;
    this.zoneName = options.zoneName;
    this.ownerRecordName = options.ownerRecordName;
    this.baseCount = options.count;
    this.total = options.count;
    this.sizeScale = options.sizeScale ?? 1;
    this.now = options.now;
    this.albums = options.albums === false ? [] : albumsFor(options.seed);
  }

  /** Indexes ever generated, expunged ones included. */
  get size(): number {
    return this.total;
  }

  spec(index: number): AssetSpec {
    const added = this.overrides.get(index)?.added;
    return generateAsset({
      seed: this.seed,
      zoneName: this.zoneName,
      index,
      sizeScale: this.sizeScale,
      ...(added ? { added } : {}),
    });
  }

  /**
   * The albums a client listing this library sees an asset in, as `Folder/Album`, in album order: what a layout's
   * `{album}` and a backup's index should say. Hidden and deleted assets are in no album's index.
   */
  albumNamesOf(index: number): string[] {
    const s = this.state(index);
    if (s.isHidden || s.isDeleted || s.isExpunged) return [];
    const nameOf = (recordName: string | undefined) => this.albums.find((a) => a.recordName === recordName)?.name;
    return this.albums
      .filter((a) => this.memberOf(a, index))
      .map((a) => (a.parentId ? `${nameOf(a.parentId)}/${a.name}` : (a.name ?? '')));
  }

  /** Whether an asset is in an album: as generated, unless changed through the control API. */
  memberOf(album: AlbumDef, index: number): boolean {
    return this.overrides.get(index)?.albums?.[album.recordName] ?? inAlbum(album, this.seed, index);
  }

  /** An album (not a folder) by its name or its `Folder/Album` path. */
  album(name: string): AlbumDef {
    const found = this.albums.find((a) => {
      if (a.albumType === 3 || a.name === undefined) return false;
      const parent = this.albums.find((p) => p.recordName === a.parentId)?.name;
      return a.name === name || (parent !== undefined && `${parent}/${a.name}` === name);
    });
    if (!found) throw new Error(`no album ${name} in ${this.zoneName}`);
    return found;
  }

  state(index: number): AssetState {
    if (index < 0 || index >= this.total) throw new Error(`no asset #${index} in ${this.zoneName}`);
    const spec = this.spec(index);
    const o = this.overrides.get(index);
    const editVersion = o?.editVersion ?? 0;
    const hasEdit = spec.edited || editVersion > 0;
    const changeSeq = o?.changeSeq ?? 0;
    return {
      spec,
      index,
      editVersion,
      edit: hasEdit && spec.kind !== 'video' ? editedRender(spec, editVersion) : undefined,
      isDeleted: o?.deletedAt !== undefined,
      deletedAt: o?.deletedAt,
      dateExpunged: o?.dateExpunged,
      isExpunged: o?.expunged ?? false,
      isHidden: o?.hidden ?? spec.isHidden,
      isFavorite: o?.favorite ?? spec.isFavorite,
      about: o?.about ?? descriptiveOf(spec),
      albumsChanged: o?.albums !== undefined,
      changeSeq,
      recordChangeTag: changeSeq === 0 ? `g${(index % 1296).toString(36)}` : `c${changeSeq.toString(36)}`,
    };
  }

  /** All resources of the asset's current version, master ones first. */
  resources(state: AssetState): ResourceSpec[] {
    return state.edit ? [...state.spec.resources, state.edit] : state.spec.resources;
  }

  resource(state: AssetState, field: ResourceField): ResourceSpec | undefined {
    return this.resources(state).find((r) => r.field === field);
  }

  /** How to produce the bytes of one resource version. */
  content(state: AssetState, field: ResourceField, version = state.editVersion): ContentSpec | undefined {
    const resource = field === 'resJPEGFullRes' ? editedRender(state.spec, version) : this.resource(state, field);
    if (!resource) return undefined;
    const v = field === 'resJPEGFullRes' ? version : 0;
    return {
      key: `${this.seed}:${this.zoneName}:${state.index}:${field}:${v}`,
      kind: resource.content,
      size: resource.size,
      ...localTime(state.spec.assetDate, state.spec.timeZoneOffset),
    };
  }

  // ---- orderings ----

  /** Asset indexes of a named ordering, rank 0 first. Built once per change. */
  ordering(name: string): Int32Array {
    let cached = this.indexCache.get(name);
    if (cached) return cached;
    cached = this.buildOrdering(name);
    this.indexCache.set(name, cached);
    return cached;
  }

  /**
   * Sort keys and flags of the generated (never changed) assets, computed once: generating 100,000 full specs
   * takes seconds, and every change would otherwise pay it again when the orderings are rebuilt.
   */
  private baseKeys(): { assetDate: Float64Array; addedDate: Float64Array; flags: Uint8Array } {
    if (this.keys) return this.keys;
    const assetDate = new Float64Array(this.baseCount);
    const addedDate = new Float64Array(this.baseCount);
    const flags = new Uint8Array(this.baseCount);
    for (let i = 0; i < this.baseCount; i++) {
      const spec = this.spec(i);
      assetDate[i] = spec.assetDate;
      addedDate[i] = spec.addedDate;
      flags[i] = flagsOf(spec.isHidden, spec.isFavorite, spec);
    }
    this.keys = { assetDate, addedDate, flags };
    return this.keys;
  }

  private buildOrdering(name: string): Int32Array {
    const [kind, arg] = name.split(':') as [string, string | undefined];
    const album = kind === 'album' ? this.albums.find((a) => a.recordName === arg) : undefined;
    const base = this.baseKeys();
    const picked: number[] = [];
    const sortKey: number[] = [];
    for (let i = 0; i < this.total; i++) {
      const o = this.overrides.get(i);
      if (o?.expunged) continue;
      const deleted = o?.deletedAt !== undefined;
      if ((kind === 'deleted') !== deleted) continue;
      let flags: number;
      let assetDate: number;
      let addedDate: number;
      if (o || i >= this.baseCount) {
        const s = this.state(i);
        flags = flagsOf(s.isHidden, s.isFavorite, s.spec);
        assetDate = s.spec.assetDate;
        addedDate = s.spec.addedDate;
      } else {
        flags = base.flags[i]!;
        assetDate = base.assetDate[i]!;
        addedDate = base.addedDate[i]!;
      }
      const hidden = (flags & HIDDEN) !== 0;
      if (kind !== 'deleted') {
        if (kind === 'hidden' ? !hidden : hidden) continue;
        if (kind === 'album' && !(album && this.memberOf(album, i))) continue;
        if (kind === 'smart' && !(flags & (SMART_FLAG[arg ?? ''] ?? 0))) continue;
      }
      picked.push(i);
      sortKey.push(kind === 'added' ? addedDate : kind === 'deleted' ? (o?.deletedAt ?? 0) : assetDate);
    }
    const order = Int32Array.from(picked.keys());
    order.sort((a, b) => sortKey[b]! - sortKey[a]! || picked[a]! - picked[b]!);
    return order.map((k) => picked[k]!);
  }

  // ---- lookups ----

  /** Index of an asset by CPLAsset or CPLMaster recordName (builds a lookup table on first use). */
  find(recordName: string): number | undefined {
    if (!this.idLookup) {
      this.idLookup = new Map();
      for (let i = 0; i < this.total; i++) this.remember(i);
    }
    return this.idLookup.get(recordName);
  }

  private remember(index: number): void {
    if (!this.idLookup) return;
    const spec = this.spec(index);
    this.idLookup.set(spec.assetId, index);
    this.idLookup.set(spec.masterId, index);
  }

  summary(index: number): AssetSummary {
    const s = this.state(index);
    return {
      assetId: s.spec.assetId,
      masterId: s.spec.masterId,
      index,
      filename: s.spec.filename,
      kind: s.spec.kind,
      assetDate: s.spec.assetDate,
      timeZoneOffset: s.spec.timeZoneOffset,
      isDeleted: s.isDeleted,
      isExpunged: s.isExpunged,
      isHidden: s.isHidden,
      isFavorite: s.isFavorite,
      ...s.about,
      albums: this.albumNamesOf(index),
      resources: Object.fromEntries(this.resources(s).map((r) => [r.field, { size: r.size, fileType: r.fileType }])),
    };
  }

  // ---- changes ----

  private touch(index: number, change: Omit<Override, 'changeSeq'>): void {
    this.seq++;
    const previous = this.overrides.get(index);
    this.overrides.set(index, { ...previous, ...change, changeSeq: this.seq });
    this.indexCache.clear();
  }

  private select(selection: Selection, eligible: (s: AssetState) => boolean, ordering: string): number[] {
    if ('indexes' in selection) return selection.indexes.filter((i) => i >= 0 && i < this.total);
    if ('ids' in selection) {
      return selection.ids.map((id) => {
        const index = this.find(id);
        if (index === undefined) throw new Error(`unknown asset ${id}`);
        return index;
      });
    }
    // A count picks the newest eligible assets of the given ordering: deterministic for tests.
    const out: number[] = [];
    for (const index of this.ordering(ordering)) {
      if (out.length >= selection.count) break;
      if (eligible(this.state(index))) out.push(index);
    }
    return out;
  }

  /** Adds `count` new assets (addedDate now); returns their indexes. */
  add(count: number, options: AddOptions = {}): number[] {
    const out: number[] = [];
    for (let n = 0; n < count; n++) {
      const index = this.total++;
      this.touch(index, { added: { at: this.now(), options } });
      this.remember(index);
      out.push(index);
    }
    return out;
  }

  /** A new edited render (resJPEGFull version) for each selected photo. */
  edit(selection: Selection): number[] {
    const picked = this.select(selection, (s) => s.spec.kind !== 'video', 'all');
    for (const index of picked) this.touch(index, { editVersion: this.state(index).editVersion + 1 });
    return picked;
  }

  /** Moves to Recently Deleted: isDeleted, and dateExpunged 30 days later. */
  delete(selection: Selection): number[] {
    const picked = this.select(selection, (s) => !s.isDeleted, 'all');
    const now = this.now();
    for (const index of picked) this.touch(index, { deletedAt: now, dateExpunged: now + 30 * DAY });
    return picked;
  }

  /** Removes for good (from Recently Deleted or directly); change feeds then carry tombstones. */
  expunge(selection: Selection): number[] {
    const picked = this.select(selection, (s) => s.isDeleted, 'deleted');
    for (const index of picked) this.touch(index, { expunged: true });
    return picked;
  }

  /** Brings assets back from Recently Deleted. */
  recover(selection: Selection): number[] {
    const picked = this.select(selection, (s) => s.isDeleted, 'deleted');
    for (const index of picked) this.touch(index, { deletedAt: undefined, dateExpunged: undefined });
    return picked;
  }

  setFlags(selection: Selection, flags: { hidden?: boolean; favorite?: boolean }): number[] {
    const picked = this.select(selection, () => true, 'all');
    for (const index of picked) this.touch(index, flags);
    return picked;
  }

  /** Changes what the selected assets say (a caption typed, a keyword added, a place removed): only metadata. */
  describe(selection: Selection, about: Partial<Record<keyof Descriptive, unknown>>): number[] {
    const picked = this.select(selection, (s) => !s.isDeleted, 'all');
    for (const index of picked) {
      const next: Descriptive = { ...this.state(index).about };
      for (const [key, value] of Object.entries(about) as [keyof Descriptive, unknown][]) {
        if (value === null) delete next[key];
        else if (value !== undefined) (next as Record<string, unknown>)[key] = value;
      }
      this.touch(index, { about: next });
    }
    return picked;
  }

  /** Adds the selected assets to an album, or removes them from it (as Photos does: the photo itself stays). */
  setAlbum(selection: Selection, albumName: string, member: boolean): number[] {
    const album = this.album(albumName);
    const picked = this.select(selection, (s) => !s.isDeleted && this.memberOf(album, s.index) !== member, 'all');
    for (const index of picked) {
      const albums = { ...this.overrides.get(index)?.albums, [album.recordName]: member };
      this.touch(index, { albums });
    }
    return picked;
  }

  /**
   * Changes after a position, oldest first, at most `limit` assets. A `full` position walks the initial listing
   * (untouched generated assets by index) before the changed ones; a delta position (seq, index) returns only
   * assets whose last change comes after it. Each asset appears once, at its latest change.
   */
  changesAfter(from: ChangePosition, limit: number): { indexes: number[]; next: ChangePosition; more: boolean } {
    const out: number[] = [];
    let position: ChangePosition = from;
    if (from.full) {
      for (let i = from.index + 1; i < this.baseCount; i++) {
        if (this.overrides.has(i)) continue;
        if (out.length >= limit) return { indexes: out, next: position, more: true };
        out.push(i);
        position = { full: true, seq: 0, index: i };
      }
      position = { full: false, seq: 0, index: -1 };
    }
    const after = position;
    const changed = [...this.overrides.entries()]
      .filter(([i, o]) => o.changeSeq > after.seq || (o.changeSeq === after.seq && i > after.index))
      .filter(([, o]) => !(from.full && o.expunged)) // a first full listing needs no tombstones
      .sort((a, b) => a[1].changeSeq - b[1].changeSeq || a[0] - b[0]);
    for (const [i, o] of changed) {
      if (out.length >= limit) return { indexes: out, next: position, more: true };
      out.push(i);
      position = { full: false, seq: o.changeSeq, index: i };
    }
    return { indexes: out, next: { full: false, seq: this.seq, index: -1 }, more: false };
  }

  /** Where "now" is in the change feed: what a fresh sync token names. */
  currentPosition(): ChangePosition {
    return { full: false, seq: this.seq, index: -1 };
  }

  /** Drops every sync token handed out so far (clients must fall back to a full walk). */
  expireSyncTokens(): void {
    this.tokenEpoch++;
  }
}
