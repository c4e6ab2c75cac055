import {
  describeError,
  type PlanDestination,
  type PlannableResource,
  planBackup,
  type RuleEvaluation,
  renderKey,
  requireMarker,
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

type Listed = PlannableResource & { capturedAt?: string; albums: string[] };

/**
 * What a plan of these sources and destinations would copy, before it is saved: the sources are listed and the
 * planner says what each destination lacks and whether it has the space. Nothing is written anywhere.
 */
export async function dryRun(
  c: DependencyContainer,
  sources: string[],
  destinations: string[],
  signal: AbortSignal,
): Promise<DryRun> {
  const config = resolveConfig(c).read();
  const host = await pluginHost(c);
  const ready: PlanDestination[] = [];
  const unavailable: DryRun['unavailable'] = [];
  for (const name of destinations) {
    try {
      const cfg = config.destinations[name]!;
      const ctx = await contextFor(c, 'destination', name, cfg.type, signal);
      const destination = await createInstance(host, 'destination', name, cfg, ctx);
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
    const ctx = await contextFor(c, 'source', name, cfg.type, signal);
    const source = await createInstance(host, 'source', name, cfg, ctx);
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
  const catalog = resolveCatalog(c);
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
