import type { Destination, DestinationDescription, Source } from '@lifeboat/plugin-api';
import {
  backoffDelay,
  DEFAULT_RETRY,
  describeError,
  ErrorCode,
  type Failure,
  InsufficientSpaceError,
  isAbort,
  type RetryPolicy,
  sleep,
  toFailure,
} from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import { requireMarker } from '../dest-index/index.js';
import { planBackup } from '../planner/index.js';
import { type CopyOutcome, type CopyTarget, copyResource, worthRetrying } from './copy-resource.js';
import type { RunEvent, RunFailure, RunSummary } from './events.js';
import { IndexFlusher } from './index-flusher.js';
import { KeyPicker } from './key-picker.js';
import { listSources } from './list-sources.js';
import { ProgressMeter } from './progress-meter.js';
import { adoptDestinationIndex, resolvePending } from './recovery.js';
import { RetryingDestination } from './retrying-destination.js';

export interface BackupRunOptions {
  plan: string;
  sources: { name: string; source: Source }[];
  destinations: { name: string; destination: Destination }[];
  catalog: Catalog;
  /** Files in flight at once. */
  concurrency?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  clock?: () => Date;
}

interface ReadyDestination extends CopyTarget {
  description: DestinationDescription;
}

/**
 * One backup run: inventory every source into the catalog, plan what each destination lacks, then copy each
 * missing resource once to all destinations that lack it. Destinations that cannot be used are reported and
 * skipped; the others still get their copies. Nothing is ever deleted from a destination.
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
  };
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

  // Each destination gets ready (its marker, leftovers of a killed run, its index) while the sources are listed:
  // one waits on the network or a drive, the other mostly on the source, and neither needs the other's result.
  const prepare = async (d: BackupRunOptions['destinations'][number]): Promise<ReadyDestination | undefined> => {
    const destination = new RetryingDestination(d.destination, policy, { signal });
    try {
      await requireMarker(destination, d.name);
      await destination.recover();
      const description = await destination.describe();
      await resolvePending(catalog, d.name, destination, now());
      await adoptDestinationIndex(catalog, d.name, destination);
      const index = new IndexFlusher(catalog, d.name, destination, clock);
      await index.flush(); // copies a killed run recorded but did not index yet
      const keys = new KeyPicker(catalog, d.name, destination, description.layout);
      return { name: d.name, destination, description, keys, index };
    } catch (error) {
      destFailed(d.name, error);
      return undefined;
    }
  };
  const [prepared, inventory] = await Promise.all([
    Promise.all(options.destinations.map(prepare)),
    listSources(options.sources, catalog, runId, now, emit, signal),
  ]);
  const ready = prepared.filter((d) => d !== undefined);
  for (const f of inventory.failures) failures.push(f);

  const backupPlan = planBackup({
    // The catalog says which destinations hold each version while streaming: far cheaper than a lookup each.
    resources: catalog.presentResources(
      options.sources.map((s) => s.name),
      { copiedOn: ready.map((d) => d.name) },
    ),
    destinations: ready.map((d) => ({ name: d.name, description: d.description })),
    hasCopy: (dest, r) => r.copiedOn?.includes(dest) ?? false,
  });
  for (const p of backupPlan.perDestination) {
    if (p.enoughSpace) continue;
    // The planner kept what fits: the destination still gets that, and the rest is reported as not copied.
    const error = new InsufficientSpaceError(
      `Destination "${p.name}" has ${p.freeBytes ?? 0} bytes free but needs ${p.neededBytes} (with a safety margin): ${p.files - (p.skippedFiles ?? 0)} of ${p.files} files fit and are copied; ${p.skippedFiles ?? 0} files (${p.skippedBytes ?? 0} bytes) are not`,
      { hint: `Free ${p.shortBy ?? 0} bytes or choose a larger drive, then run again to copy the rest` },
    );
    failures.push({ code: error.code, message: error.message, destination: p.name, hint: error.hint ?? '' });
  }
  const usable = new Map(ready.filter((d) => !perDest.get(d.name)!.error).map((d) => [d.name, d]));
  const work = backupPlan.work
    .map((w) => ({
      resource: w.resource,
      targets: w.destinations.map((n) => usable.get(n)).filter((t) => t !== undefined),
    }))
    .filter((w) => w.targets.length > 0);
  await listDestinationKeys(work, usable, catalog);
  const meter = new ProgressMeter(
    work.length,
    work.reduce((sum, w) => sum + w.resource.size, 0),
  );
  emit({ type: 'planned', files: meter.filesTotal, bytes: meter.bytesTotal, evaluation: backupPlan.evaluation });
  const ticker = setInterval(() => emit({ type: 'progress', ...meter.snapshot() }), 250);

  let filesCopied = 0;
  let bytesCopied = 0;
  const sources = new Map(options.sources.map((s) => [s.name, s.source]));
  const copyOne = async (w: (typeof work)[number]) => {
    if (signal.aborted) return;
    const r = w.resource;
    meter.currentFile = r.fileName;
    let targets = w.targets;
    let outcome: CopyOutcome | undefined;
    let copiedSomewhere = false;
    for (let attempt = 1; targets.length > 0; attempt++) {
      outcome = await copyResource(r, targets, {
        catalog,
        source: sources.get(r.source)!,
        signal,
        now,
        onBytes: (n) => meter.addBytes(n),
      });
      for (const c of outcome.copied) {
        copiedSomewhere = true;
        const d = perDest.get(c.name)!;
        d.filesCopied++;
        d.bytesCopied += r.size;
        emit({ type: 'copied', destination: c.name, key: c.key, bytes: r.size });
      }
      const retry = !signal.aborted && attempt < policy.attempts && worthRetrying(outcome);
      if (!retry) break;
      const copied = new Set(outcome.copied.map((c) => c.name));
      targets = targets.filter((t) => !copied.has(t.name));
      const delayMs = backoffDelay(policy, attempt);
      const error = outcome.sourceError ?? outcome.failed[0]?.error;
      emit({ type: 'retry', fileName: r.fileName, attempt, delayMs, message: describeError(error) });
      await sleep(delayMs, signal).catch(() => {});
    }
    meter.filesDone++;
    if (copiedSomewhere) {
      filesCopied++;
      bytesCopied += r.size;
    }
    if (outcome && !signal.aborted) reportFailures(outcome, r, fail);
  };
  // A few workers taking the next item, not a queued promise per item: a first run of 100,000 photos would
  // otherwise hold 100,000 pending closures and promises for its whole length.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < work.length; i = next++) await copyOne(work[i]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, work.length) }, worker));
  } finally {
    clearInterval(ticker);
  }
  emit({ type: 'progress', ...meter.snapshot() });

  for (const d of ready) {
    try {
      await d.index.flush();
    } catch (error) {
      destFailed(d.name, error);
    }
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
    goneFromSource: inventory.newlyGone,
    goneFromSourceTotal: goneTotal,
    listed: inventory.listed,
    durationMs: Math.round(performance.now() - started),
    evaluation: backupPlan.evaluation,
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

/** Files to copy to one destination from which listing it beats a stat per file (key-picker.ts). */
const LIST_FROM_FILES = 100;
/** ...as long as they are not a sliver of what it already holds (listing 1M keys for 100 files is not cheaper). */
const LIST_MAX_KEYS_PER_FILE = 20;

async function listDestinationKeys(
  work: { targets: ReadyDestination[] }[],
  usable: Map<string, ReadyDestination>,
  catalog: Catalog,
): Promise<void> {
  const files = new Map<string, number>();
  for (const w of work) for (const t of w.targets) files.set(t.name, (files.get(t.name) ?? 0) + 1);
  const worth = [...files].filter(([, count]) => count >= LIST_FROM_FILES);
  if (worth.length === 0) return; // the common daily run: a few new photos, a stat each
  const held = new Map(catalog.copyCounts().map((c) => [c.destination, c.copies]));
  for (const [name, count] of worth) {
    if ((held.get(name) ?? 0) > count * LIST_MAX_KEYS_PER_FILE) continue;
    // A destination that cannot be listed is asked key by key as before; its writes report what is wrong.
    await usable
      .get(name)!
      .keys.listKeys()
      .catch(() => {});
  }
}

function reportFailures(
  o: CopyOutcome,
  r: { source: string; assetId: string; fileName: string },
  fail: (f: RunFailure) => void,
) {
  const at = { source: r.source, assetId: r.assetId, fileName: r.fileName };
  if (o.sourceError && !isAbort(o.sourceError)) fail({ ...at, ...codeOf(o.sourceError) });
  for (const f of o.failed) if (!isAbort(f.error)) fail({ ...at, destination: f.name, ...codeOf(f.error) });
}

// A copy's failure names its code apart, and in the message too, as the CLI prints only the message.
function codeOf(error: unknown): Failure {
  return { ...toFailure(error), message: describeError(error) };
}
