import type { DestinationDescription } from '@lifeboat/plugin-api';
import { ConfigError } from '@lifeboat/plugin-api';
import { evaluate321, type RuleEvaluation } from './rule-321.js';

/** What the planner needs of a resource. The catalog's CatalogResource fits, and comes back out unchanged. */
export interface PlannableResource {
  source: string;
  assetId: string;
  kind: string;
  version: string;
  size: number;
  fileName: string;
}

export interface PlanDestination {
  name: string;
  description: DestinationDescription;
}

export interface PlanInput<R extends PlannableResource> {
  /** Streamed once, in order; the catalog's presentResources() is meant to be passed straight in. */
  resources: Iterable<R>;
  destinations: readonly PlanDestination[];
  /** Whether `destination` already holds a verified copy of this version of `r`. */
  hasCopy: (destination: string, r: R) => boolean;
  /**
   * Whether a destination short of space gets what fits (default) or all it lacks: a plan made batch by batch
   * (PlanStream) fits over the whole listing itself, as the space is one budget for all batches.
   */
  fitToSpace?: boolean;
}

/** One resource to read once and write to every destination that lacks it. */
export interface WorkItem<R extends PlannableResource = PlannableResource> {
  resource: R;
  /** Names of the destinations lacking this version, in the order the destinations were given. */
  destinations: string[];
}

export interface DestinationPlan {
  name: string;
  /** Files and bytes this destination lacks. */
  files: number;
  bytes: number;
  /** What must be free for them: `bytes` plus the safety margin (0 when nothing is to be written). */
  neededBytes: number;
  freeBytes?: number;
  /** True when the destination cannot tell its free space: the write itself will say. */
  enoughSpace: boolean;
  /** How many more free bytes are needed, when `enoughSpace` is false. */
  shortBy?: number;
  /**
   * When `enoughSpace` is false: what does not fit and is left out of `work` for this destination (what fits is
   * still copied, in plan order). Reported, so the run fails loudly while the drive gets all it can take.
   */
  skippedFiles?: number;
  skippedBytes?: number;
}

export interface BackupPlan<R extends PlannableResource = PlannableResource> {
  work: WorkItem<R>[];
  perDestination: DestinationPlan[];
  totals: {
    /** Resources examined. */
    resources: number;
    /** Resources to read from the sources (each read once, whatever the number of destinations). */
    files: number;
    bytesToRead: number;
    bytesToWrite: number;
  };
  evaluation: RuleEvaluation;
}

const MiB = 1024 * 1024;
/** Fraction of the bytes to write kept free on top: filesystems store metadata. */
export const SPACE_MARGIN_RATIO = 0.02;
/** Per file: the last block of each file is rounded up, and its folder entry takes room. */
export const SPACE_MARGIN_PER_FILE = 8 * 1024;
/**
 * Fixed slack: Lifeboat's index segments and marker. Proportional to the backup, not a flat 64 MB, which
 * refused a 50 KB backup to a drive with 52 MB free.
 */
export const SPACE_MARGIN_BYTES = 1 * MiB;

/** Free bytes a destination needs to take `bytes` of new copies in `files` files, with the safety margin. */
export function spaceNeeded(bytes: number, files = 1): number {
  if (bytes === 0 && files === 0) return 0;
  return bytes + Math.ceil(bytes * SPACE_MARGIN_RATIO) + files * SPACE_MARGIN_PER_FILE + SPACE_MARGIN_BYTES;
}

/**
 * Decides what to copy where: every resource lacking on at least one destination becomes one work item, so
 * the engine reads it once and writes it to each destination that lacks it. Pure: no I/O, the catalog is seen
 * only through `hasCopy`. The dry run is this plan, printed.
 *
 * Streams the resources once and allocates nothing per resource beyond its work item, so a million resources
 * cost the `hasCopy` calls and little else.
 */
export function planBackup<R extends PlannableResource>(input: PlanInput<R>): BackupPlan<R> {
  const { destinations, hasCopy } = input;
  const names = destinations.map((d) => d.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw new ConfigError(`The plan lists the destination "${duplicate}" twice.`, {
      hint: 'Each destination may appear once in a plan; remove the repeated one.',
    });
  }
  const count = names.length;
  const files = new Array<number>(count).fill(0);
  const bytes = new Array<number>(count).fill(0);
  const work: WorkItem<R>[] = [];
  let examined = 0;

  for (const resource of input.resources) {
    examined++;
    let lacking: string[] | undefined;
    for (let i = 0; i < count; i++) {
      const name = names[i]!;
      if (hasCopy(name, resource)) continue;
      if (lacking === undefined) lacking = [name];
      else lacking.push(name);
      files[i]!++;
      bytes[i]! += resource.size;
    }
    if (lacking !== undefined) work.push({ resource, destinations: lacking });
  }

  const perDestination = destinations.map((d, i): DestinationPlan => {
    const needed = files[i] === 0 ? 0 : spaceNeeded(bytes[i]!, files[i]!);
    const free = d.description.freeBytes;
    const plan: DestinationPlan = {
      name: d.name,
      files: files[i]!,
      bytes: bytes[i]!,
      neededBytes: needed,
      enoughSpace: true,
    };
    if (free !== undefined) {
      plan.freeBytes = free;
      if (free < needed) {
        plan.enoughSpace = false;
        plan.shortBy = needed - free;
      }
    }
    return plan;
  });
  const fitted = input.fitToSpace === false ? { work, ...bytesOf(work) } : fitToSpace(work, perDestination);

  return {
    work: fitted.work,
    perDestination,
    totals: {
      resources: examined,
      files: fitted.work.length,
      bytesToRead: fitted.bytesToRead,
      bytesToWrite: fitted.bytesToWrite,
    },
    evaluation: evaluate321(destinations),
  };
}

/**
 * A destination short of space gets what fits, in plan order, rather than nothing: its other work is dropped
 * from the plan and counted in `skippedFiles`/`skippedBytes`.
 */
function fitToSpace<R extends PlannableResource>(
  work: WorkItem<R>[],
  perDestination: DestinationPlan[],
): { work: WorkItem<R>[]; bytesToRead: number; bytesToWrite: number } {
  const short = perDestination.filter((p) => !p.enoughSpace);
  for (const plan of short) {
    let files = 0;
    let bytes = 0;
    plan.skippedFiles = 0;
    plan.skippedBytes = 0;
    for (const item of work) {
      if (!item.destinations.includes(plan.name)) continue;
      const size = item.resource.size;
      if (spaceNeeded(bytes + size, files + 1) <= (plan.freeBytes ?? 0)) {
        files++;
        bytes += size;
      } else {
        item.destinations = item.destinations.filter((name) => name !== plan.name);
        plan.skippedFiles++;
        plan.skippedBytes += size;
      }
    }
  }
  const kept = short.length === 0 ? work : work.filter((item) => item.destinations.length > 0);
  return { work: kept, ...bytesOf(kept) };
}

function bytesOf(work: readonly WorkItem<PlannableResource>[]): { bytesToRead: number; bytesToWrite: number } {
  let bytesToRead = 0;
  let bytesToWrite = 0;
  for (const item of work) {
    bytesToRead += item.resource.size;
    bytesToWrite += item.resource.size * item.destinations.length;
  }
  return { bytesToRead, bytesToWrite };
}
