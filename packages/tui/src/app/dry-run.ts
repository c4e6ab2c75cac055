import {
  type Catalog,
  type ConfigStore,
  type Destination,
  type DestinationPlan,
  describeError,
  LifeboatError,
  type PlanPreview,
  previewPlan,
  type RuleEvaluation,
  renderKey,
  type Source,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { PlanOpener } from './open-plan.js';
import { Plugins } from './plugins.js';
import { scheduleReport } from './schedule-format.js';
import { type Lazy, TOKENS } from './tokens.js';

export interface DryRun {
  assets: number;
  files: number;
  bytes: number;
  destinations: { name: string; files: number; bytes: number; freeBytes?: number; enoughSpace: boolean }[];
  unavailable: { name: string; reason: string }[];
  /** Three real paths the first destination's layout gives the first files listed. */
  examples: { layout: string; keys: string[] } | undefined;
  evaluation: RuleEvaluation;
}

/** `plan show`: what a run of a saved plan would copy, where, and its schedule. */
export interface PlanReport {
  plan: string;
  sources: string[];
  resources: number;
  toRead: { files: number; bytes: number };
  destinations: (DestinationPlan & { location: string | undefined })[];
  unavailable: { name: string; reason: string }[];
  evaluation: RuleEvaluation;
  schedule: ReturnType<typeof scheduleReport>;
}

/**
 * What a run would copy: the run's own planning pipeline in preview (core's previewPlan, with the run's recovery
 * seen read-only), so the answer is what a run will do. Nothing is written anywhere.
 */
@injectable()
export class DryRunService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(Plugins) private readonly plugins: Plugins,
    @inject(PlanOpener) private readonly opener: PlanOpener,
  ) {}

  /** A plan of these sources and destinations, before it is saved. */
  async preview(sources: string[], destinations: string[], signal: AbortSignal): Promise<DryRun> {
    const config = this.config.read();
    await this.plugins.host();
    const opened: { name: string; destination: Destination }[] = [];
    const unavailable: DryRun['unavailable'] = [];
    for (const name of destinations) {
      try {
        opened.push({
          name,
          destination: await this.plugins.open('destination', name, config.destinations[name]!, signal),
        });
      } catch (error) {
        unavailable.push({ name, reason: describeError(error) });
      }
    }
    const listed: { name: string; source: Source }[] = [];
    let preview: PlanPreview;
    try {
      for (const name of sources) {
        listed.push({ name, source: await this.plugins.open('source', name, config.sources[name]!, signal) });
      }
      preview = await previewPlan({ sources: listed, destinations: opened, catalog: this.catalog(), signal });
    } finally {
      for (const s of listed) await s.source.close?.().catch(() => {});
      for (const d of opened) await d.destination.close?.().catch(() => {});
    }
    throwListingFailure(preview);
    const plan = preview.figures;
    const layout = preview.destinations[0]?.description.layout;
    return {
      assets: preview.assets,
      files: plan.totals.files,
      bytes: plan.totals.bytesToRead,
      destinations: plan.perDestination.map((d) => ({
        name: d.name,
        files: d.files,
        bytes: d.bytes,
        enoughSpace: d.enoughSpace,
        ...(d.freeBytes !== undefined ? { freeBytes: d.freeBytes } : {}),
      })),
      unavailable: [...unavailable, ...preview.unavailable],
      examples: layout ? { layout, keys: preview.sample.map((r) => renderKey(layout, r)) } : undefined,
      evaluation: plan.evaluation,
    };
  }

  /**
   * A saved plan: what `run` would copy now. `destinations` are the plan's, in its order (the report lists only
   * those that could be reached).
   */
  async show(name: string): Promise<{ report: PlanReport; destinations: string[] }> {
    const signal = new AbortController().signal;
    const plan = await this.opener.open(name, signal);
    let preview: PlanPreview;
    try {
      preview = await previewPlan({
        sources: plan.sources,
        destinations: plan.destinations,
        catalog: this.catalog(),
        signal,
      });
    } finally {
      for (const s of plan.sources) await s.source.close?.().catch(() => {});
      for (const d of plan.destinations) await d.destination.close?.().catch(() => {});
    }
    throwListingFailure(preview);
    const result = preview.figures;
    const report: PlanReport = {
      plan: name,
      sources: plan.config.sources,
      resources: result.totals.resources,
      toRead: { files: result.totals.files, bytes: result.totals.bytesToRead },
      destinations: result.perDestination.map((p) => ({
        ...p,
        location: preview.destinations.find((d) => d.name === p.name)?.description.location,
      })),
      unavailable: preview.unavailable,
      evaluation: result.evaluation,
      schedule: scheduleReport(plan.config.schedule, 3),
    };
    return { report, destinations: plan.config.destinations };
  }
}

/** A listing that failed part way would make the figures look small: say so, as the listing itself did. */
function throwListingFailure(preview: PlanPreview): void {
  const failed = preview.listingFailures[0];
  if (failed) throw new LifeboatError(failed.code, failed.message, failed.hint ? { hint: failed.hint } : {});
}
