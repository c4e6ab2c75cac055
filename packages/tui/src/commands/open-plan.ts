import { ConfigError, type Destination, type PlanConfig, type Source } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { pluginHost, resolveConfig, resolvePaths } from '../container.js';
import { fileLogger } from '../state/file-logger.js';
import { createInstance, instanceContext } from '../state/instances.js';

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
  const logs = resolvePaths(c).logsDir;
  const sources = [];
  for (const s of plan.sources) {
    const cfg = config.sources[s];
    if (!cfg)
      throw new ConfigError(`Plan "${name}" uses source "${s}", which is not configured`, {
        hint: 'Add it, or fix the plan',
      });
    sources.push({
      name: s,
      source: await createInstance(host, 'source', s, cfg, instanceContext(s, fileLogger(logs, `source:${s}`), signal)),
    });
  }
  const destinations = [];
  for (const d of plan.destinations) {
    const cfg = config.destinations[d];
    if (!cfg)
      throw new ConfigError(`Plan "${name}" uses destination "${d}", which is not configured`, {
        hint: 'Add it, or fix the plan',
      });
    destinations.push({
      name: d,
      destination: await createInstance(
        host,
        'destination',
        d,
        cfg,
        instanceContext(d, fileLogger(logs, `destination:${d}`), signal),
      ),
    });
  }
  return { name, config: plan, sources, destinations };
}
