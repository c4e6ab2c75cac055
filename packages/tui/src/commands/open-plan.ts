import { ConfigError, type Destination, type PlanConfig, type Source } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig } from '../container.js';
import { createInstance } from '../state/instances.js';

export interface OpenPlan {
  name: string;
  config: PlanConfig;
  sources: { name: string; source: Source }[];
  destinations: { name: string; destination: Destination }[];
}

/** Loads a plan and creates its source and destination instances through the plugin host. */
export async function openPlan(c: DependencyContainer, name: string, signal: AbortSignal): Promise<OpenPlan> {
  const config = resolveConfig(c).read();
  const plan = config.plans[name];
  if (!plan) {
    throw new ConfigError(`No plan named "${name}"`, {
      hint: `Known plans: ${Object.keys(config.plans).join(', ') || '(none)'}; add one with \`lifeboat plan add\``,
    });
  }
  const host = await pluginHost(c);
  const sources = [];
  for (const s of plan.sources) {
    const cfg = config.sources[s];
    if (!cfg)
      throw new ConfigError(`Plan "${name}" uses source "${s}", which is not configured`, {
        hint: 'Add it, or fix the plan',
      });
    const ctx = await contextFor(c, 'source', s, cfg.type, signal);
    sources.push({ name: s, source: await createInstance(host, 'source', s, cfg, ctx) });
  }
  const destinations = [];
  for (const d of plan.destinations) {
    const cfg = config.destinations[d];
    if (!cfg)
      throw new ConfigError(`Plan "${name}" uses destination "${d}", which is not configured`, {
        hint: 'Add it, or fix the plan',
      });
    const ctx = await contextFor(c, 'destination', d, cfg.type, signal);
    destinations.push({ name: d, destination: await createInstance(host, 'destination', d, cfg, ctx) });
  }
  return { name, config: plan, sources, destinations };
}
