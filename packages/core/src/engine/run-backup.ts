import type { Destination, Source } from '@lifeboat/plugin-api';
import {
  DEFAULT_RETRY,
  describeError,
  ErrorCode,
  InsufficientSpaceError,
  type RetryPolicy,
  toFailure,
} from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import { PluginTimeoutError } from '../host/call-guard.js';
import { keepAlbumView } from './album-view-step.js';
import { codeOf, copyWithRetry } from './copy-with-retry.js';
import type { RunEvent, RunFailure, RunSummary } from './events.js';
import { albumsNotInKeys, ListingFeed } from './listing-feed.js';
import { PlanStream } from './plan-stream.js';
import { prepareDestination, type ReadyDestination } from './prepare-destinations.js';
import { ProgressMeter } from './progress-meter.js';
import { INITIAL_CONCURRENCY, RunLimits } from './run-limits.js';
import { TokenBucket } from './token-bucket.js';

export interface BackupRunOptions {
  plan: string;
  /** `maxConcurrency`: at most this many of the source's files in flight, however fast it answers. */
  sources: { name: string; source: Source; maxConcurrency?: number }[];
  destinations: { name: string; destination: Destination }[];
  catalog: Catalog;
  /** Upper bound of files in flight per source and per destination (each adapts below it; default 16). */
  concurrency?: number;
  /** Bytes per second read from all sources together, at most (rclone's --bwlimit). */
  bandwidthLimit?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  clock?: () => Date;
  /** How often the adaptive limits measure throughput (ms); tests shorten it. */
  adaptWindowMs?: number;
}

/**
 * For the benchmark only (`npm run bench -- --only pace`, its baseline): `LIFEBOAT_ENGINE_STRATEGY=list-first`
 * runs the strategy this engine replaced, so both are measured in the same run: the whole listing first, then
 * 4 files in flight at most. Not a user setting; read here and nowhere else.
 */
const LIST_FIRST = process.env.LIFEBOAT_ENGINE_STRATEGY === 'list-first';

/**
 * One backup run: list every source into the catalog and, as the listing comes, plan what each destination
 * lacks and copy each missing resource once to all destinations that lack it, so the first file is copied
 * seconds after the start whatever the library's size. What went missing from a source is worked out only once
 * its listing ended normally. Destinations that cannot be used are reported and skipped; the others still get
 * their copies. Nothing is ever deleted from a destination.
 */
export async function runBackup(options: BackupRunOptions): Promise<RunSummary> {
  const { catalog, plan } = options;
  const clock = options.clock ?? (() => new Date());
  const now = () => clock().toISOString();
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const policy = options.retry ?? DEFAULT_RETRY;
  const started = performance.now();
  const failures: RunFailure[] = [];
  const fail = (f: RunFailure) => {
    failures.push(f);
    emit({ type: 'copy-failed', failure: f });
    // A destination that stopped answering gets no further files this run; the others go on.
    if (f.destination && f.code === ErrorCode.PluginTimeout && usable.delete(f.destination)) {
      destFailed(f.destination, new PluginTimeoutError(f.message, f.hint ?? ''));
    }
  };
  /** Destinations being written to; one that stops answering leaves it. */
  let usable = new Map<string, ReadyDestination>();
  const runId = catalog.startRun(plan, now());
  emit({ type: 'run-started', runId, plan });

  const perDest = new Map(
    options.destinations.map((d) => [
      d.name,
      { name: d.name, filesCopied: 0, bytesCopied: 0 } as RunSummary['destinations'][number],
    ]),
  );
  const destFailed = (name: string, error: unknown) => {
    const { code, hint } = toFailure(error);
    const message = describeError(error);
    perDest.get(name)!.error = { code, message, ...(hint ? { hint } : {}) };
    failures.push({ code, message, destination: name, ...(hint ? { hint } : {}) });
    emit({ type: 'destination-failed', destination: name, code, message });
  };

  // The listing starts at once; each destination gets ready (marker, a killed run's leftovers, its index)
  // meanwhile. Planning waits for both: what a destination holds is only known once it is ready.
  const feed = new ListingFeed({
    sources: options.sources,
    catalog,
    signal,
    emit,
    now,
    runId,
    albumsLater: albumsNotInKeys(options.destinations),
  });
  const meter = new ProgressMeter(0, 0);
  meter.listing = { assets: 0, done: false };
  const limits = new RunLimits({
    sources: LIST_FIRST ? options.sources.map(({ name }) => ({ name })) : options.sources,
    destinations: options.destinations.map((d) => d.name),
    ...(LIST_FIRST ? { max: INITIAL_CONCURRENCY } : options.concurrency ? { max: options.concurrency } : {}),
    ...(options.adaptWindowMs ? { windowMs: options.adaptWindowMs } : {}),
  });
  const ticker = setInterval(() => emit(progressOf(meter, feed, limits)), 250);
  const prepared = await Promise.all(
    options.destinations.map((d) =>
      prepareDestination(d, catalog, policy, signal, clock).catch((error: unknown) => destFailed(d.name, error)),
    ),
  );
  const ready = prepared.filter((d): d is ReadyDestination => d !== undefined);
  usable = new Map(ready.map((d) => [d.name, d]));
  const stream = new PlanStream({
    feed,
    catalog,
    sources: options.sources.map((s) => s.name),
    destinations: ready.map((d) => ({ name: d.name, description: d.description })),
    handOut: true,
  });
  const keyLister = new DestinationKeyLister(catalog);
  // The totals are the plan's: known in full once the listing ended, whatever the workers got to yet.
  const followPlan = () => {
    const totals = stream.tally.figures().totals;
    meter.filesTotal = totals.files;
    meter.bytesTotal = totals.bytesToRead;
  };
  void stream.planned.then(
    () => {
      followPlan();
      meter.listing = { assets: feed.assets, done: true };
      const evaluation = stream.tally.figures().evaluation;
      emit({ type: 'planned', files: meter.filesTotal, bytes: meter.bytesTotal, evaluation });
    },
    () => {},
  );

  let filesCopied = 0;
  let bytesCopied = 0;
  const copyContext = {
    catalog,
    sources: new Map(options.sources.map((s) => [s.name, s.source])),
    limits,
    bandwidth: options.bandwidthLimit ? new TokenBucket(options.bandwidthLimit) : undefined,
    meter,
    policy,
    signal,
    now,
    emit,
    fail,
    onCopied: (destination: string, key: string, bytes: number) => {
      const d = perDest.get(destination)!;
      d.filesCopied++;
      d.bytesCopied += bytes;
      emit({ type: 'copied', destination, key, bytes });
    },
  };
  // One promise per file in flight only (not per file planned): a first run of 100,000 photos holds a few dozen.
  const inFlight = new Set<Promise<void>>();
  try {
    if (LIST_FIRST) await stream.planned.catch(() => {});
    dispatch: for await (const batch of stream) {
      for (const w of batch) {
        const targets = w.destinations.map((n) => usable.get(n)).filter((t) => t !== undefined);
        if (targets.length === 0) continue;
        const names = targets.map((t) => t.name);
        try {
          await limits.acquireDestinations(names, signal);
        } catch {
          break dispatch; // stopped
        }
        const copy = copyWithRetry(w.resource, targets, copyContext)
          .then((copied) => {
            if (!copied) return;
            filesCopied++;
            bytesCopied += w.resource.size;
          })
          .finally(() => {
            limits.releaseDestinations(names);
            inFlight.delete(copy);
          });
        inFlight.add(copy);
      }
      followPlan();
      await keyLister.listWhenWorth(stream, usable);
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
    clearInterval(ticker);
  }
  const listing = await stream.planned;
  for (const f of listing.failures) failures.push(f);
  const figures = stream.figures();
  for (const p of figures.perDestination) {
    const fit = stream.fits.get(p.name);
    if (!fit || fit.skippedFiles === 0 || perDest.get(p.name)?.error) continue;
    // The destination got what fits; it is failed for the rest, reported as not copied, so the run fails loudly.
    const error = new InsufficientSpaceError(
      `Destination "${p.name}" has ${p.freeBytes ?? 0} bytes free but needs ${p.neededBytes} (with a safety margin): ${p.files - fit.skippedFiles} of ${p.files} files fit and are copied; ${fit.skippedFiles} files (${fit.skippedBytes} bytes) are not`,
      { hint: `Free ${p.shortBy ?? 0} bytes or choose a larger drive, then run again to copy the rest` },
    );
    destFailed(p.name, error);
  }
  emit(progressOf(meter, feed, limits));

  // Sidecars a copy could not get at once, and those whose photo's metadata changed at the source (favourited,
  // captioned, added to an album): rewritten beside the copy, which is not copied again.
  for (const d of ready) {
    await d.sidecars?.settle(); // those begun beside the copies, failed destinations too: nothing left running
    if (!d.sidecars || perDest.get(d.name)?.error || !usable.has(d.name)) continue;
    const { failures: missed } = await d.sidecars.catchUp(signal);
    for (const m of missed) if (!signal.aborted) fail({ destination: d.name, fileName: m.key, ...codeOf(m.error) });
  }

  // A destination that stopped answering is not asked again; the next run indexes what it got (the catalog has it).
  for (const d of ready.filter((r) => usable.has(r.name))) {
    try {
      await d.index.flush();
    } catch (error) {
      destFailed(d.name, error);
    }
  }
  for (const d of ready) {
    if (signal.aborted || perDest.get(d.name)?.error) continue;
    for (const f of await keepAlbumView(d, signal)) failures.push(f);
  }

  const aborted = signal.aborted;
  if (aborted) failures.push({ code: ErrorCode.Aborted, message: 'The run was stopped before it finished' });
  const goneTotal = options.sources.reduce((sum, s) => sum + catalog.goneCount(s.name), 0);
  const summary: RunSummary = {
    ok: failures.length === 0,
    runId,
    plan,
    aborted,
    filesCopied,
    bytesCopied,
    destinations: [...perDest.values()],
    failures,
    goneFromSource: listing.newlyGone,
    goneFromSourceTotal: goneTotal,
    listed: listing.listed,
    durationMs: Math.round(performance.now() - started),
    evaluation: figures.evaluation,
    concurrency: limits.report(),
  };
  catalog.finishRun(runId, {
    ok: summary.ok,
    filesCopied,
    bytesCopied,
    goneCount: goneTotal,
    summary,
    finishedAt: now(),
  });
  emit({ type: 'run-finished', summary });
  return summary;
}

function progressOf(meter: ProgressMeter, feed: ListingFeed, limits: RunLimits): RunEvent {
  if (meter.listing && !meter.listing.done) meter.listing.assets = feed.assets;
  return { type: 'progress', ...meter.snapshot(), concurrency: limits.snapshot() };
}

/** Files to copy to one destination from which listing it beats a stat per file (key-picker.ts). */
const LIST_FROM_FILES = 100;
/** ...as long as they are not a sliver of what it already holds (listing 1M keys for 100 files is not cheaper). */
const LIST_MAX_KEYS_PER_FILE = 20;

/** Lists a destination's keys once, as soon as enough files are planned for it that one listing is cheaper. */
class DestinationKeyLister {
  private readonly done = new Set<string>();
  private held: Map<string, number> | undefined;

  constructor(private readonly catalog: Catalog) {}

  async listWhenWorth(stream: PlanStream, usable: Map<string, ReadyDestination>): Promise<void> {
    const figures = stream.tally.figures().perDestination;
    for (const p of figures) {
      const d = usable.get(p.name);
      if (!d || this.done.has(p.name) || p.files < LIST_FROM_FILES) continue;
      this.held ??= new Map(this.catalog.copyCounts().map((c) => [c.destination, c.copies]));
      // Checked again at every batch: a destination holding many keys becomes worth listing as the plan grows.
      if ((this.held.get(p.name) ?? 0) > p.files * LIST_MAX_KEYS_PER_FILE) continue;
      this.done.add(p.name);
      // A destination that cannot be listed is asked key by key as before; its writes report what is wrong.
      await d.keys.listKeys().catch(() => {});
    }
  }
}
