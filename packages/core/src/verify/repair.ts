import type { Destination } from '@lifeboat/plugin-api';
import {
  DEFAULT_RETRY,
  describeError,
  ErrorCode,
  hasCode,
  isAbort,
  LifeboatError,
  toFailure,
} from '@lifeboat/plugin-api';
import pLimit from 'p-limit';
import { IndexFlusher } from '../engine/index-flusher.js';
import { RetryingDestination } from '../engine/retrying-destination.js';
import { SidecarWriter } from '../sidecar/sidecar-writer.js';
import { Donor } from './donor.js';
import { captureOf, type Ledger, sidecarsOf } from './ledger.js';
import { hashObject } from './read-back.js';
import { writeVerified } from './repair-copy.js';
import type {
  DestinationRepair,
  ExpectedCopy,
  NamedDestination,
  ProblemKind,
  RepairOptions,
  RepairReport,
  VerifyProblem,
} from './types.js';
import { verifyWithLedger } from './verify-destination.js';

const FIXABLE: ReadonlySet<ProblemKind> = new Set(['missing', 'corrupt', 'unreadable']);

/**
 * Verifies each target in full, then re-creates every missing or damaged copy from a healthy copy on another
 * destination, or from the source when none is healthy. A copy is overwritten only when a second read just
 * before the repair still proves it damaged; a healthy or unreadable copy is never replaced. Copies the
 * destination's own index lost are written to it again. Unexpected objects are reported and left alone.
 */
export async function repairDestinations(options: RepairOptions): Promise<RepairReport> {
  const t0 = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const policy = options.retry ?? DEFAULT_RETRY;
  const donors = options.donors.map(
    (d) => new Donor(d.name, new RetryingDestination(d.destination, policy, { signal }), options.catalog),
  );
  const destinations: DestinationRepair[] = [];
  for (const target of options.targets) {
    if (signal.aborted) break;
    destinations.push(await repairOne(target, donors, options, signal));
  }
  const aborted = signal.aborted;
  const ok =
    !aborted &&
    destinations.every((d) => d.error === undefined && d.failures.length === 0 && d.verify?.indexError === undefined);
  return { ok, destinations, aborted, durationMs: Math.round(performance.now() - t0) };
}

async function repairOne(
  target: NamedDestination,
  donors: Donor[],
  options: RepairOptions,
  signal: AbortSignal,
): Promise<DestinationRepair> {
  const { name } = target;
  const out: DestinationRepair = {
    destination: name,
    repaired: [],
    healthyOnRecheck: [],
    failures: [],
    reindexed: 0,
    unexpected: [],
  };
  let ledger: Ledger;
  try {
    const verified = await verifyWithLedger({ ...options, ...target, selection: { all: true }, signal });
    out.verify = verified.report;
    ledger = verified.ledger;
  } catch (error) {
    out.error = toFailure(error);
    return out;
  }
  const emit = options.onEvent ?? (() => {});
  const clock = options.clock ?? (() => new Date());
  const destination = new RetryingDestination(target.destination, options.retry ?? DEFAULT_RETRY, { signal });
  // Temp files a killed repair (or run) left: a destination's recover never touches those of a live process. A
  // failure here is the drive's state, which the repairs below run into and report.
  await destination.recover().catch(() => {});
  const byKey = new Map([...ledger.copies, ...sidecarsOf(ledger.copies)].map((c) => [c.key, c]));
  out.unexpected = out.verify.problems.filter((p) => p.kind === 'unexpected').map((p) => p.key);

  const fail = (key: string, was: ProblemKind, error: unknown) => {
    if (isAbort(error) || signal.aborted) return;
    const failure = { key, was, ...toFailure(error) };
    out.failures.push(failure);
    emit({ type: 'repair-failed', destination: name, failure });
  };
  const fix = async (p: VerifyProblem) => {
    const copy = byKey.get(p.key)!;
    const was = await recheck(destination, copy, p.kind, signal).catch((error: unknown) => {
      fail(p.key, p.kind, error);
      return undefined;
    });
    if (was === undefined) return;
    if (was === 'healthy') {
      out.healthyOnRecheck.push(p.key);
      return;
    }
    const dated = { ...copy, ...captureOf(options.catalog, name, copy) };
    const result = await recreate(destination, name, dated, was === 'corrupt', donors, options, signal);
    if ('from' in result) {
      const action = { key: p.key, was, from: result.from, size: copy.size };
      out.repaired.push(action);
      emit({ type: 'repaired', destination: name, repair: action });
    } else fail(p.key, was, result.error);
  };
  const limit = pLimit(options.concurrency ?? 2);
  await Promise.all(out.verify.problems.filter((p) => FIXABLE.has(p.kind)).map((p) => limit(() => fix(p))));

  const catalog = options.catalog;
  if (ledger.basis === 'catalog' && catalog) {
    const proven = [...out.repaired.map((r) => r.key), ...out.healthyOnRecheck];
    catalog.markVerified(name, proven, clock().toISOString());
    // The index must describe the destination on its own (restore with no local state): list what it lost.
    if (ledger.index) {
      const stale = new Set(out.verify.problems.filter((p) => p.kind === 'unindexed').map((p) => p.key));
      for (const r of out.repaired) if (ledger.index.get(r.key)?.sha256 !== byKey.get(r.key)?.sha256) stale.add(r.key);
      try {
        catalog.markUnindexed(name, [...stale]);
        await new IndexFlusher(catalog, name, destination, clock).flush();
        out.reindexed = stale.size;
      } catch (error) {
        fail('.lifeboat/index', 'unindexed', error);
      }
    }
  }
  return out;
}

/** A second look right before repairing: is the copy still missing or damaged, or was the first read a fluke? */
async function recheck(
  destination: Destination,
  copy: ExpectedCopy,
  kind: ProblemKind,
  signal: AbortSignal,
): Promise<'missing' | 'corrupt' | 'healthy'> {
  if (kind === 'missing' && !(await destination.stat(copy.key))) return 'missing';
  try {
    const now = await hashObject(destination, copy.key, signal);
    return now.size === copy.size && now.sha256 === copy.sha256 ? 'healthy' : 'corrupt';
  } catch (error) {
    if (hasCode(error, ErrorCode.NotFound)) return 'missing';
    if (hasCode(error, ErrorCode.Integrity)) return 'corrupt'; // the store itself proved it damaged
    throw error; // still unreadable: it cannot be proven damaged, so it is not replaced
  }
}

/** Copies the bytes from the first donor holding them healthy, else from the source. */
async function recreate(
  target: Destination,
  targetName: string,
  copy: ExpectedCopy,
  overwrite: boolean,
  donors: Donor[],
  options: RepairOptions,
  signal: AbortSignal,
): Promise<{ from: string } | { error: unknown }> {
  const tried: string[] = [];
  // A sidecar is written anew from what the catalog knows of its photo now (it may say more than the lost one).
  const due = copy.sidecarOf !== undefined ? options.catalog?.sidecarFor(targetName, copy.sidecarOf) : undefined;
  if (due) {
    try {
      await new SidecarWriter(options.catalog!, targetName, target).write({ ...due, sha256: undefined });
      return { from: 'the catalog' };
    } catch (error) {
      return { error };
    }
  }
  for (const donor of donors) {
    if (donor.name === targetName) continue;
    try {
      const key = await donor.keyFor(copy);
      if (key === undefined) continue;
      const failure = await writeVerified(
        target,
        copy,
        await donor.destination.read(key, { signal }),
        overwrite,
        signal,
      );
      if (!failure) return { from: `destination ${donor.name}` };
      if (failure.side === 'target') return { error: failure.error };
      tried.push(`${donor.name}: ${describeError(failure.error)}`);
    } catch (error) {
      tried.push(`${donor.name}: ${describeError(error)}`);
    }
  }
  // A source holds the photo, never its sidecar.
  const fromSource = copy.sidecarOf === undefined ? await fromTheSource(target, copy, overwrite, options, signal) : {};
  if ('from' in fromSource) return fromSource;
  if (fromSource.target) return { error: fromSource.error };
  if (fromSource.reason) tried.push(fromSource.reason);
  return {
    error: new LifeboatError(
      ErrorCode.NoHealthyCopy,
      `No healthy copy of ${copy.key} to repair it from${tried.length ? ` (${tried.join('; ')})` : ''}`,
      {
        hint: 'Connect the other destinations of the plan (or repair through the plan: `lifeboat repair <plan>`); if the source still has the photo, `lifeboat run` copies its current version anew',
      },
    ),
  };
}

async function fromTheSource(
  target: Destination,
  copy: ExpectedCopy,
  overwrite: boolean,
  options: RepairOptions,
  signal: AbortSignal,
): Promise<{ from: string } | { error?: unknown; target?: boolean; reason?: string }> {
  const current = options.catalog?.currentResource(copy.source, copy.assetId, copy.kind);
  if (!options.openSource || !current) return {};
  if (current.version !== copy.version) return { reason: `source ${copy.source} now has a newer version` };
  try {
    const source = await options.openSource(copy.source);
    if (!source) return { reason: `source ${copy.source} is not configured` };
    const { assetId, kind, version, fileName, size, locator } = current;
    const body = await source.open(
      { assetId, kind, version, fileName, size, ...(locator ? { locator } : {}) },
      { signal },
    );
    const failure = await writeVerified(target, copy, body, overwrite, signal);
    if (!failure) return { from: `source ${copy.source}` };
    if (failure.side === 'target') return { error: failure.error, target: true };
    return { reason: `source ${copy.source}: ${describeError(failure.error)}` };
  } catch (error) {
    return { reason: `source ${copy.source}: ${describeError(error)}` };
  }
}
