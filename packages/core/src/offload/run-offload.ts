import type { Destination, Source, TrashOutcome } from '@lifeboat/plugin-api';
import { UsageError } from '@lifeboat/plugin-api';
import type { Catalog, OffloadCandidate } from '../catalog/index.js';
import { hashObject } from '../verify/read-back.js';
import {
  type OffloadCopy,
  type OffloadDecision,
  type OffloadDestination,
  type OffloadPlan,
  type OffloadRule,
  planOffload,
} from './rule.js';

/** Assets re-read and sent to the source per step: small, so an anomaly stops the run with little in flight. */
export const OFFLOAD_BATCH = 10;

export interface OffloadTarget extends OffloadDestination {
  /** The opened destination (absent when unreachable): vouching copies are read back from it. */
  destination?: Destination;
}

export interface OffloadRunOptions {
  catalog: Catalog;
  sourceName: string;
  source: Source;
  destinations: readonly OffloadTarget[];
  rule: OffloadRule;
  /** At most this many assets are moved in one run. */
  max?: number;
  /** False (the default): a dry run, which reads nothing back and sends nothing to the source. */
  move: boolean;
  signal: AbortSignal;
  batchSize?: number;
  /** Called after each batch the source moved. */
  onMoved?: (moved: number, total: number) => void;
}

/** Why a run stopped before moving every planned asset. */
export interface OffloadStop {
  assetId: string;
  /** `read-back-failed`: a vouching copy no longer matches; else the source's answer for that asset. */
  reason: 'read-back-failed' | Exclude<TrashOutcome['status'], 'moved'>;
  message: string;
}

export interface OffloadResult {
  plan: OffloadPlan;
  /** Assets moved to the source's trash in this run (empty for a dry run). */
  moved: OffloadDecision[];
  stopped?: OffloadStop;
}

/**
 * `lifeboat offload`: decides from the catalog which assets may leave the source (see rule.ts); with `move`,
 * reads one vouching copy of every resource back right before each batch (size and sha256 must match), asks the
 * source to move the batch to its trash, records each move in the catalog's ledger, and stops at the first
 * anomaly with nothing further moved. Never asks the source to erase anything.
 */
export async function runOffload(options: OffloadRunOptions): Promise<OffloadResult> {
  const { catalog, source, sourceName, signal } = options;
  if (options.move && typeof source.moveToTrash !== 'function') {
    throw new UsageError(`Source "${sourceName}" cannot move photos to its trash, so it cannot be offloaded.`, {
      hint: 'Offload works with sources that offer it, such as iCloud Photos.',
    });
  }
  const metadata = new Map<string, Record<string, unknown>>();
  const candidates = function* (): Generator<OffloadCandidate> {
    for (const candidate of catalog.offloadCandidates(sourceName)) {
      metadata.set(candidate.assetId, candidate.metadata);
      yield candidate;
    }
  };
  const plan = planOffload(candidates(), options.destinations, options.rule, options.max);
  const result: OffloadResult = { plan, moved: [] };
  if (!options.move) return result;

  const byName = new Map(options.destinations.map((d) => [d.name, d]));
  const size = options.batchSize ?? OFFLOAD_BATCH;
  for (let start = 0; start < plan.move.length; start += size) {
    signal.throwIfAborted();
    const batch = plan.move.slice(start, start + size);
    const damaged = await readBack(batch, byName, signal);
    if (damaged !== undefined) {
      result.stopped = damaged;
      break;
    }
    const outcomes = await source.moveToTrash!(
      batch.map((d) => ({ assetId: d.assetId, metadata: metadata.get(d.assetId) ?? {} })),
      { signal },
    );
    const at = new Date().toISOString();
    const outcomeOf = (assetId: string) => outcomes.find((o) => o.assetId === assetId);
    for (const decision of batch) {
      const outcome = outcomeOf(decision.assetId);
      if (outcome?.status !== 'moved') {
        // Name the asset the source refused, not one it skipped because of it.
        const cause = batch.find((d) => !['moved', 'not-attempted'].includes(outcomeOf(d.assetId)?.status ?? ''));
        const blame = cause === undefined ? decision.assetId : cause.assetId;
        const blamed = outcomeOf(blame);
        result.stopped ??= {
          assetId: blame,
          reason: blamed?.status === 'moved' || blamed === undefined ? 'refused' : blamed.status,
          message: blamed?.message ?? 'The source did not answer for this asset.',
        };
        continue;
      }
      catalog.recordOffload({
        source: sourceName,
        assetId: decision.assetId,
        fileName: decision.fileName,
        offloadedAt: at,
        bytes: decision.bytes,
        vouchers: decision.vouchers.map(({ destination, kind, version, key }) => ({ destination, kind, version, key })),
      });
      result.moved.push(decision);
    }
    options.onMoved?.(result.moved.length, plan.move.length);
    if (result.stopped) break;
  }
  return result;
}

/** Reads one vouching copy of each resource back; the first that does not match stops the run. */
async function readBack(
  batch: readonly OffloadDecision[],
  destinations: ReadonlyMap<string, OffloadTarget>,
  signal: AbortSignal,
): Promise<OffloadStop | undefined> {
  for (const decision of batch) {
    const perResource = new Map<string, OffloadCopy>();
    for (const copy of decision.vouchers) if (!perResource.has(copy.kind)) perResource.set(copy.kind, copy);
    for (const copy of perResource.values()) {
      const where = `${copy.key} on ${copy.destination}`;
      const destination = destinations.get(copy.destination)?.destination;
      try {
        if (destination === undefined) throw new Error('the destination is not open');
        const read = await hashObject(destination, copy.key, signal);
        if (read.size !== copy.size || read.sha256 !== copy.sha256) {
          return {
            assetId: decision.assetId,
            reason: 'read-back-failed',
            message: `${where} no longer matches its recorded size and sha256: run \`lifeboat verify ${copy.destination}\` and \`lifeboat repair ${copy.destination}\`.`,
          };
        }
      } catch (error) {
        if (signal.aborted) throw error;
        return {
          assetId: decision.assetId,
          reason: 'read-back-failed',
          message: `${where} could not be read back: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    }
  }
  return undefined;
}
