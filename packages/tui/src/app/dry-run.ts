import {
  type Destination,
  describeError,
  LifeboatError,
  type PlanPreview,
  previewPlan,
  type RuleEvaluation,
  renderKey,
  type Source,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveCatalog, resolveConfig } from '../container.js';
import { createInstance } from '../state/instances.js';

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

/**
 * What a plan of these sources and destinations would copy, before it is saved: the run's own planning pipeline
 * in preview (core's previewPlan), so it says what a run will do. Nothing is written anywhere.
 */
export async function dryRun(
  c: DependencyContainer,
  sources: string[],
  destinations: string[],
  signal: AbortSignal,
): Promise<DryRun> {
  const config = resolveConfig(c).read();
  const host = await pluginHost(c);
  const opened: { name: string; destination: Destination }[] = [];
  const unavailable: DryRun['unavailable'] = [];
  for (const name of destinations) {
    try {
      const cfg = config.destinations[name]!;
      const ctx = await contextFor(c, 'destination', name, cfg.type, signal);
      opened.push({ name, destination: await createInstance(host, 'destination', name, cfg, ctx) });
    } catch (error) {
      unavailable.push({ name, reason: describeError(error) });
    }
  }
  const listed: { name: string; source: Source }[] = [];
  let preview: PlanPreview;
  try {
    for (const name of sources) {
      const cfg = config.sources[name]!;
      const ctx = await contextFor(c, 'source', name, cfg.type, signal);
      listed.push({ name, source: await createInstance(host, 'source', name, cfg, ctx) });
    }
    preview = await previewPlan({ sources: listed, destinations: opened, catalog: resolveCatalog(c), signal });
  } finally {
    for (const s of listed) await s.source.close?.().catch(() => {});
    for (const d of opened) await d.destination.close?.().catch(() => {});
  }
  // A listing that failed part way would make the figures look small: say so, as the listing itself did.
  const failed = preview.listingFailures[0];
  if (failed) throw new LifeboatError(failed.code, failed.message, failed.hint ? { hint: failed.hint } : {});
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
