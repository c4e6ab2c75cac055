import {
  type Asset,
  type Catalog,
  type CatalogResource,
  type ConfigStore,
  type DestinationDescription,
  type DestinationPlan,
  describeError,
  type PlanDestination,
  type PlannableResource,
  planBackup,
  type RuleEvaluation,
  renderKey,
  requireMarker,
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

type Listed = PlannableResource & { capturedAt?: string; albums: string[] };

/** What a run would copy, asked of the planner; nothing is written anywhere. */
@injectable()
export class DryRunService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(Plugins) private readonly plugins: Plugins,
    @inject(PlanOpener) private readonly opener: PlanOpener,
  ) {}

  /**
   * What a plan of these sources and destinations would copy, before it is saved: the sources are listed and the
   * planner says what each destination lacks and whether it has the space.
   */
  async preview(sources: string[], destinations: string[], signal: AbortSignal): Promise<DryRun> {
    const config = this.config.read();
    await this.plugins.host();
    const ready: PlanDestination[] = [];
    const unavailable: DryRun['unavailable'] = [];
    for (const name of destinations) {
      try {
        const cfg = config.destinations[name]!;
        const destination = await this.plugins.open('destination', name, cfg, signal);
        await requireMarker(destination, name);
        ready.push({ name, description: await destination.describe() });
      } catch (error) {
        unavailable.push({ name, reason: describeError(error) });
      }
    }
    const resources: Listed[] = [];
    let assets = 0;
    for (const name of sources) {
      const cfg = config.sources[name]!;
      const source = await this.plugins.open('source', name, cfg, signal);
      for await (const asset of source.list({ signal })) {
        assets++;
        for (const r of asset.resources) {
          resources.push({
            source: name,
            assetId: asset.id,
            kind: r.kind,
            version: r.version,
            size: r.size,
            fileName: r.fileName,
            albums: asset.albums,
            ...(asset.capturedAt ? { capturedAt: asset.capturedAt } : {}),
          });
        }
      }
    }
    const catalog = this.catalog();
    const plan = planBackup({
      resources,
      destinations: ready,
      hasCopy: (dest, r) => catalog.hasCopy(dest, r.source, r.assetId, r.kind, r.version),
    });
    const layout = ready[0]?.description.layout;
    return {
      assets,
      files: plan.totals.files,
      bytes: plan.totals.bytesToRead,
      destinations: plan.perDestination.map((d) => ({
        name: d.name,
        files: d.files,
        bytes: d.bytes,
        enoughSpace: d.enoughSpace,
        ...(d.freeBytes !== undefined ? { freeBytes: d.freeBytes } : {}),
      })),
      unavailable,
      examples: layout
        ? { layout, keys: resources.slice(0, 3).map((r) => renderKey(layout, { ...r, source: r.source })) }
        : undefined,
      evaluation: plan.evaluation,
    };
  }

  /**
   * A saved plan: lists its sources and asks the planner what each destination lacks. `destinations` are the
   * plan's, in its order (the report lists only those that could be reached).
   */
  async show(name: string): Promise<{ report: PlanReport; destinations: string[] }> {
    const signal = new AbortController().signal;
    const plan = await this.opener.open(name, signal);
    const catalog = this.catalog();
    const destinations: { name: string; description: DestinationDescription }[] = [];
    const unavailable: { name: string; reason: string }[] = [];
    for (const d of plan.destinations) {
      try {
        await requireMarker(d.destination, d.name);
        destinations.push({ name: d.name, description: await d.destination.describe() });
      } catch (error) {
        unavailable.push({ name: d.name, reason: describeError(error) });
      }
    }
    const resources: CatalogResource[] = [];
    for (const s of plan.sources)
      for await (const asset of s.source.list({ signal })) resources.push(...resourcesOf(s.name, asset));
    const result = planBackup({
      resources,
      destinations,
      hasCopy: (dest, r) => catalog.hasCopy(dest, r.source, r.assetId, r.kind, r.version),
    });
    const report: PlanReport = {
      plan: name,
      sources: plan.config.sources,
      resources: result.totals.resources,
      toRead: { files: result.totals.files, bytes: result.totals.bytesToRead },
      destinations: result.perDestination.map((p) => ({
        ...p,
        location: destinations.find((d) => d.name === p.name)?.description.location,
      })),
      unavailable,
      evaluation: result.evaluation,
      schedule: scheduleReport(plan.config.schedule, 3),
    };
    return { report, destinations: plan.config.destinations };
  }
}

function* resourcesOf(source: string, asset: Asset): Iterable<CatalogResource> {
  for (const r of asset.resources) {
    yield {
      source,
      assetId: asset.id,
      kind: r.kind,
      version: r.version,
      fileName: r.fileName,
      size: r.size,
      assetFileName: asset.fileName,
      albums: asset.albums,
      favorite: asset.favorite,
      hidden: asset.hidden,
      ...(asset.capturedAt ? { capturedAt: asset.capturedAt } : {}),
    };
  }
}
