import { DEFAULT_RETRY, describeError, ErrorCode, hasCode, isAbort, toFailure, withRetry } from '@lifeboat/plugin-api';
import pLimit from 'p-limit';
import { META_PREFIX, requireMarker } from '../dest-index/index.js';
import { RetryingDestination } from '../engine/retrying-destination.js';
import { type Ledger, loadLedger, sidecarsOf } from './ledger.js';
import { hashObject } from './read-back.js';
import { pickSample } from './sample.js';
import type { ExpectedCopy, VerifyOptions, VerifyProblem, VerifyReport } from './types.js';

/** Verification times are written in batches, so an interrupted scrub keeps most of what it proved. */
const RECORD_BATCH = 200;

/**
 * Reads a destination's copies back and compares them with what the catalog (or the destination's own index)
 * says: every copy is checked for presence and size from one listing, and the selected ones (all, or a sample)
 * are read in full and hashed. Healthy copies get their verification time recorded; nothing is ever changed
 * on the destination.
 */
export async function verifyDestination(options: VerifyOptions): Promise<VerifyReport> {
  return (await verifyWithLedger(options)).report;
}

/** verifyDestination, also returning the ledger it checked against (repair needs each copy's identity). */
export async function verifyWithLedger(options: VerifyOptions): Promise<{ report: VerifyReport; ledger: Ledger }> {
  const { name, catalog } = options;
  const clock = options.clock ?? (() => new Date());
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  const started = clock();
  const t0 = performance.now();
  // Reads and listings retried with backoff, as in a backup run: a throttled bucket is not a damaged copy.
  const policy = options.retry ?? DEFAULT_RETRY;
  const destination = new RetryingDestination(options.destination, policy, { signal });

  await requireMarker(destination, name);
  const ledger = await loadLedger(name, destination, catalog);
  const listed = new Map<string, number>();
  for await (const o of destination.list()) {
    signal.throwIfAborted();
    if (!o.key.startsWith(META_PREFIX)) listed.set(o.key, o.size);
  }

  const problems: VerifyProblem[] = [];
  const found = (problem: VerifyProblem) => {
    problems.push(problem);
    emit({ type: 'problem', destination: name, problem });
  };
  // A copy found missing or not matching is recorded so (offload then counts it as no copy at all).
  const failed = (problem: VerifyProblem, c: ExpectedCopy) => {
    found(problem);
    if (c.sidecarOf === undefined && ledger.basis === 'catalog' && catalog) {
      catalog.markFailed(name, [c.key], clock().toISOString());
    }
  };
  const sample = pickSample(ledger.copies, options.selection, started);
  const sidecars = sidecarsOf(ledger.copies);
  const toRead: ExpectedCopy[] = [];
  // A sidecar is checked like its copy (present, its size, read back when its copy is), but counted apart.
  for (const c of [...ledger.copies, ...sidecars]) {
    const size = listed.get(c.key);
    if (size === undefined) failed(problem('missing', c), c);
    else if (size !== c.size) failed(problem('corrupt', c, { size }), c);
    else if (sample.has(c.sidecarOf ?? c.key)) toRead.push(c);
  }
  emit({
    type: 'verify-started',
    destination: name,
    copies: ledger.copies.length,
    toRead: toRead.filter((c) => c.sidecarOf === undefined).length,
    bytesToRead: toRead.reduce((sum, c) => sum + (c.sidecarOf === undefined ? c.size : 0), 0),
  });

  let checked = 0;
  let bytesChecked = 0;
  let healthy = 0;
  let unrecorded: string[] = [];
  const record = () => {
    if (ledger.basis === 'catalog' && catalog) catalog.markVerified(name, unrecorded, clock().toISOString());
    unrecorded = [];
  };
  const limit = pLimit(options.concurrency ?? 4);
  await Promise.all(
    toRead.map((c) =>
      limit(async () => {
        if (signal.aborted) return;
        try {
          // A read cut halfway (a dropped connection) is read again from the start, as one unit: on the bare
          // destination, so the retrying wrapper does not retry each attempt again.
          const actual = await withRetry(() => hashObject(options.destination, c.key, signal), policy, { signal });
          if (c.sidecarOf === undefined) bytesChecked += actual.size;
          if (actual.size !== c.size || actual.sha256 !== c.sha256) failed(problem('corrupt', c, actual), c);
          else if (c.sidecarOf === undefined) {
            healthy++;
            unrecorded.push(c.key);
            if (unrecorded.length >= RECORD_BATCH) record();
          }
        } catch (error) {
          if (isAbort(error) || signal.aborted) return;
          // An integrity error on read is proof of damage (an encrypted copy whose blocks fail authentication);
          // an unreadable one is not (the medium may be back tomorrow), so only the first two count as failed.
          if (hasCode(error, ErrorCode.NotFound)) failed(problem('missing', c), c);
          else if (hasCode(error, ErrorCode.Integrity)) failed(failsIntegrity(c, error), c);
          else found(unreadable(c, error));
        }
        if (c.sidecarOf === undefined) checked++;
        emit({ type: 'verify-progress', destination: name, checked, bytesChecked });
      }),
    ),
  );
  record();

  if (!signal.aborted) for (const p of strays(name, ledger, listed, options)) found(p);
  const aborted = signal.aborted;
  const report: VerifyReport = {
    destination: name,
    // Unexpected objects are reported, but are no loss: they do not fail a verification.
    ok: !aborted && ledger.indexError === undefined && problems.every((p) => p.kind === 'unexpected'),
    basis: ledger.basis,
    selection: options.selection,
    copies: ledger.copies.length,
    sidecars: sidecars.length,
    checked,
    bytesChecked,
    healthy,
    problems,
    ...(ledger.indexError ? { indexError: ledger.indexError } : {}),
    aborted,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  };
  return { report, ledger };
}

/** Objects no record explains, and recorded copies the destination's own index lost. */
function strays(name: string, ledger: Ledger, listed: Map<string, number>, options: VerifyOptions): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  const expected = new Set(ledger.copies.flatMap((c) => (c.sidecar ? [c.key, c.sidecar.key] : [c.key])));
  const indexedSidecars = new Set(
    [...(ledger.index?.values() ?? [])].flatMap((e) => (e.sidecar ? [e.sidecar.key] : [])),
  );
  for (const [key, size] of listed) {
    if (expected.has(key) || ledger.index?.has(key) || indexedSidecars.has(key)) continue;
    // Written since the ledger was read (a run in progress), or another machine's copy the catalog adopted.
    if (options.catalog?.keyOwner(name, key)) continue;
    out.push({
      kind: 'unexpected',
      key,
      actual: { size },
      message: `${key} is on the destination but in neither the catalog nor the destination's index (left as it is)`,
    });
  }
  if (ledger.basis === 'catalog' && ledger.index) {
    for (const c of ledger.copies) {
      // Whether or not the catalog believes it flushed the record (a flush can fail: the index folder unwritable
      // during a run), the destination's own index is what a restore from the drive alone reads.
      const entry = ledger.index.get(c.key);
      if (entry?.sha256 === c.sha256 && entry.sidecar?.sha256 === c.sidecar?.sha256) continue;
      out.push({
        ...problem('unindexed', c),
        message: `${c.key} is not listed as it is in the destination's own index, so a restore without this machine would miss it`,
      });
    }
  }
  return out;
}

function problem(kind: 'missing' | 'corrupt' | 'unindexed', c: ExpectedCopy, actual?: VerifyProblem['actual']) {
  const expected = { size: c.size, sha256: c.sha256 };
  const message =
    kind === 'missing'
      ? `${c.key} is missing`
      : kind === 'corrupt'
        ? `${c.key} is damaged: ${describeActual(actual!)}, expected ${c.size} bytes with sha256 ${c.sha256.slice(0, 12)}…`
        : `${c.key} is not in the destination's index`;
  return { kind, key: c.key, message, expected, ...(actual ? { actual } : {}) } satisfies VerifyProblem;
}

function describeActual(actual: NonNullable<VerifyProblem['actual']>): string {
  return actual.sha256 === undefined
    ? `${actual.size} bytes`
    : `${actual.size} bytes with sha256 ${actual.sha256.slice(0, 12)}…`;
}

function failsIntegrity(c: ExpectedCopy, error: unknown): VerifyProblem {
  return {
    kind: 'corrupt',
    key: c.key,
    message: `${c.key} is damaged: ${describeError(error)}`,
    expected: { size: c.size, sha256: c.sha256 },
    code: toFailure(error).code,
  };
}

function unreadable(c: ExpectedCopy, error: unknown): VerifyProblem {
  return {
    kind: 'unreadable',
    key: c.key,
    message: `${c.key} could not be read back: ${describeError(error)}`,
    expected: { size: c.size, sha256: c.sha256 },
    code: toFailure(error).code,
  };
}
