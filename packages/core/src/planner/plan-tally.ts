import {
  type BackupPlan,
  type DestinationPlan,
  type PlanDestination,
  type PlannableResource,
  spaceNeeded,
} from './plan-backup.js';
import { evaluate321 } from './rule-321.js';

/** A plan's figures without its work items: what a streamed plan keeps once the items went to the workers. */
export type PlanFigures = Omit<BackupPlan, 'work'>;

/**
 * Sums the plans of a listing planned batch by batch (planBackup on each batch as it arrives). planBackup decides
 * each resource on its own, so the batches' work, in order, is the work of the whole list, and these figures are
 * the whole list's (plan-tally.test.ts checks both on random lists and splits). Only the space margin is not
 * additive: it is worked out again from the summed bytes.
 */
export class PlanTally {
  private readonly files: number[];
  private readonly bytes: number[];
  private resources = 0;
  private work = 0;
  private bytesToRead = 0;
  private bytesToWrite = 0;

  constructor(private readonly destinations: readonly PlanDestination[]) {
    this.files = destinations.map(() => 0);
    this.bytes = destinations.map(() => 0);
  }

  /** Adds one batch's plan (planned over the same destinations, in the same order). */
  add<R extends PlannableResource>(batch: BackupPlan<R>): void {
    this.resources += batch.totals.resources;
    this.work += batch.totals.files;
    this.bytesToRead += batch.totals.bytesToRead;
    this.bytesToWrite += batch.totals.bytesToWrite;
    batch.perDestination.forEach((p, i) => {
      this.files[i]! += p.files;
      this.bytes[i]! += p.bytes;
    });
  }

  /** The figures so far for one destination (by its position), with the space check on the summed bytes. */
  destination(i: number): DestinationPlan {
    const d = this.destinations[i]!;
    const bytes = this.bytes[i]!;
    const files = this.files[i]!;
    const needed = files === 0 ? 0 : spaceNeeded(bytes, files); // the proportional margin, as planBackup's
    const plan: DestinationPlan = {
      name: d.name,
      files,
      bytes,
      neededBytes: needed,
      enoughSpace: true,
    };
    const free = d.description.freeBytes;
    if (free !== undefined) {
      plan.freeBytes = free;
      if (free < needed) {
        plan.enoughSpace = false;
        plan.shortBy = needed - free;
      }
    }
    return plan;
  }

  figures(): PlanFigures {
    return {
      perDestination: this.destinations.map((_, i) => this.destination(i)),
      totals: {
        resources: this.resources,
        files: this.work,
        bytesToRead: this.bytesToRead,
        bytesToWrite: this.bytesToWrite,
      },
      evaluation: evaluate321(this.destinations),
    };
  }
}
