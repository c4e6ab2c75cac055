import type { DatabaseSync } from 'node:sqlite';
import { CopyStore, type WrittenEntry } from './copies.js';
import { openDatabase, Statements, transaction } from './db.js';
import { goneAssets, goneCount } from './gone.js';
import { beginInventory } from './inventory.js';
import { type OffloadCandidate, type OffloadRecord, OffloadStore } from './offloads.js';
import { type PresentOptions, presentResources } from './present.js';
import { RunStore } from './runs.js';
import { type SidecarDue, SidecarStore } from './sidecars.js';
import type {
  CatalogResource,
  CopyCount,
  CopyRecord,
  IndexableCopy,
  InventoryWriter,
  KeyOwner,
  NewCopy,
  PendingCopy,
  RecordCopyResult,
  ResourceVersionRef,
  RunOutcome,
  RunRecord,
  VanishedRecord,
} from './types.js';
import { type CurrentResource, VerificationStore } from './verification.js';

/**
 * The local record of what each source holds and which verified copies exist where: an embedded SQLite file
 * under the state root. Destinations describe themselves (their own index), so a lost catalog costs a rescan
 * and its history (runs, the vanished-asset ledger), never a copy.
 *
 * Synchronous on purpose (node:sqlite): each call is microseconds, and no transaction can span an await.
 * Every timestamp is passed in by the caller, so behaviour is deterministic under test.
 */
export class Catalog {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements: Statements;
  readonly #copies: CopyStore;
  readonly #runs: RunStore;
  readonly #verification: VerificationStore;
  readonly #offloads: OffloadStore;
  readonly #sidecars: SidecarStore;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#statements = new Statements(db);
    this.#copies = new CopyStore(db, this.#statements);
    this.#runs = new RunStore(this.#statements);
    this.#verification = new VerificationStore(db, this.#statements);
    this.#offloads = new OffloadStore(db, this.#statements);
    this.#sidecars = new SidecarStore(this.#statements);
  }

  /** Opens or creates the catalog at `path` (`:memory:` for tests) and brings its schema up to date. */
  static open(path: string): Catalog {
    return new Catalog(path, openDatabase(path));
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Runs `fn` atomically (nested calls become savepoints). `fn` must be synchronous. */
  transaction<T>(fn: () => T): T {
    return transaction(this.#db, fn);
  }

  /** Empty when the database file is sound; otherwise SQLite's descriptions of what is wrong. */
  integrityCheck(): string[] {
    const rows = this.#db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    const problems = rows.map((row) => row.integrity_check);
    return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
  }

  // --- Inventory ---------------------------------------------------------------------------------------------

  /** Starts recording one complete listing of `source`. See InventoryWriter for finish() versus abandon(). */
  beginInventory(source: string, runId: number, now: string): InventoryWriter {
    return beginInventory(this.#db, this.#statements, source, runId, now);
  }

  /**
   * Streams the current resources of every asset of `sources` not recorded as gone. With `copiedOn`, each
   * resource also says which of those destinations already hold its version (see PresentOptions).
   */
  presentResources(sources: readonly string[], options?: PresentOptions): Iterable<CatalogResource> {
    return presentResources(this.#db, sources, options);
  }

  /**
   * Assets gone from their source (all sources when omitted), oldest disappearance first: missing from its
   * listing, or deleted by the user and still in the source's trash (`inSourceTrash`).
   */
  goneAssets(source?: string): VanishedRecord[] {
    return goneAssets(this.#statements, source);
  }

  goneCount(source?: string): number {
    return goneCount(this.#statements, source);
  }

  // --- Copies ------------------------------------------------------------------------------------------------

  findCopy(
    destination: string,
    source: string,
    assetId: string,
    kind: string,
    version: string,
  ): CopyRecord | undefined {
    return this.#copies.findCopy(destination, source, assetId, kind, version);
  }

  /** Copies of other versions of this resource on the destination with this size, newest first. */
  sameSizeCopies(destination: string, r: ResourceVersionRef & { size: number }): CopyRecord[] {
    return this.#copies.sameSizeCopies(destination, r);
  }

  /** Gives a copy the version its source now reports for the same bytes; its index entry is written again. */
  relabelCopy(copy: CopyRecord, version: string): void {
    this.#copies.relabelCopy(copy, version);
  }

  hasCopy(destination: string, source: string, assetId: string, kind: string, version: string): boolean {
    return this.#copies.hasCopy(destination, source, assetId, kind, version);
  }

  /** Which versions of these assets of `source` `destination` holds, as `assetId\0kind\0version` (one query). */
  heldVersions(destination: string, source: string, assetIds: readonly string[]): Set<string> {
    return this.#copies.heldVersions(destination, source, assetIds);
  }

  /** Who holds `key` on `destination`, among recorded copies and writes in progress. */
  keyOwner(destination: string, key: string): KeyOwner | undefined {
    return this.#copies.keyOwner(destination, key);
  }

  addPending(pending: PendingCopy): void {
    this.#copies.addPending(pending);
  }

  pendingFor(destination: string): PendingCopy[] {
    return this.#copies.pendingFor(destination);
  }

  removePending(destination: string, key: string): void {
    this.#copies.removePending(destination, key);
  }

  /** Records a verified copy and clears its pending intent (see CopyStore.recordCopy for the outcomes). */
  recordCopy(copy: NewCopy): RecordCopyResult {
    return this.#copies.recordCopy(copy);
  }

  unindexedCopies(destination: string, limit?: number): IndexableCopy[] {
    return this.#copies.unindexedCopies(destination, limit);
  }

  markIndexed(destination: string, keys: readonly string[]): void {
    this.#copies.markIndexed(destination, keys);
  }

  markIndexedAsWritten(destination: string, written: readonly WrittenEntry[]): void {
    this.#copies.markIndexedAsWritten(destination, written);
  }

  copyCounts(): CopyCount[] {
    return this.#copies.copyCounts();
  }

  copiesOn(destination: string): Iterable<CopyRecord> {
    return this.#copies.copiesOn(destination);
  }

  // --- Sidecars (beside copies; never copies themselves: no count, no 3-2-1 figure includes them) ---------------

  /** Copies on `destination` whose sidecar is missing or older than their asset's metadata (paged by row). */
  dueSidecars(destination: string, afterRow = 0, limit = 500): SidecarDue[] {
    return this.#sidecars.dueSidecars(destination, afterRow, limit);
  }

  /** What the sidecar of the copy at `key` on `destination` says now. */
  sidecarFor(destination: string, key: string): SidecarDue | undefined {
    return this.#sidecars.sidecarFor(destination, key);
  }

  recordSidecar(destination: string, key: string, sidecar: { size: number; sha256: string; meta: string }): void {
    this.#sidecars.recordSidecar(destination, key, sidecar);
  }

  // --- Verification ------------------------------------------------------------------------------------------

  /** Records that these copies on `destination` were read back and matched their size and sha256 at `at`. */
  markVerified(destination: string, keys: readonly string[], at: string): void {
    this.#verification.markVerified(destination, keys, at);
  }

  /** Verify found these copies missing or not matching (offload no longer counts them). */
  markFailed(destination: string, keys: readonly string[], at: string): void {
    this.#verification.markFailed(destination, keys, at);
  }

  /** Makes the next index flush write these copies to the destination's index again. */
  markUnindexed(destination: string, keys: readonly string[]): void {
    this.#verification.markUnindexed(destination, keys);
  }

  /** The version of a resource its source currently lists (to re-read a lost copy from the source). */
  currentResource(source: string, assetId: string, kind: string): CurrentResource | undefined {
    return this.#verification.currentResource(source, assetId, kind);
  }

  // --- Offload -----------------------------------------------------------------------------------------------

  /** Every asset of `source` still listed, with its current resources and all recorded copies (for offload). */
  offloadCandidates(source: string): Iterable<OffloadCandidate> {
    return this.#offloads.candidates(source);
  }

  /** Records that an asset was moved to the source's trash, with the copies that vouched for it. */
  recordOffload(record: OffloadRecord): void {
    this.#offloads.recordOffload(record);
  }

  offloads(source?: string, since?: string): OffloadRecord[] {
    return this.#offloads.offloads(source, since);
  }

  offloadTotals(): { source: string; assets: number; bytes: number }[] {
    return this.#offloads.offloadTotals();
  }

  // --- Runs --------------------------------------------------------------------------------------------------

  startRun(plan: string, now: string): number {
    return this.#runs.startRun(plan, now);
  }

  finishRun(runId: number, outcome: RunOutcome): void {
    this.#runs.finishRun(runId, outcome);
  }

  lastRuns(plan?: string, limit = 20): RunRecord[] {
    return this.#runs.lastRuns(plan, limit);
  }

  run(runId: number): RunRecord | undefined {
    return this.#runs.run(runId);
  }

  /**
   * The copies recorded on `destination` from `from` to `to` (ISO instants): what one run copied there, as a
   * run's own summary keeps only counts and failures.
   */
  copiesMadeBetween(destination: string, from: string, to: string): { key: string; size: number; copiedAt: string }[] {
    return this.#statements
      .get(
        'SELECT key, size, copied_at FROM copies WHERE destination = ? AND copied_at >= ? AND copied_at <= ? ORDER BY copied_at, key',
      )
      .all(destination, from, to)
      .map((row) => {
        const r = row as { key: string; size: number; copied_at: string };
        return { key: r.key, size: r.size, copiedAt: r.copied_at };
      });
  }

  lastSuccess(plan: string): RunRecord | undefined {
    return this.#runs.lastSuccess(plan);
  }

  lastFailure(plan: string): RunRecord | undefined {
    return this.#runs.lastFailure(plan);
  }
}
