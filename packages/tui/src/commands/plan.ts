import {
  type Asset,
  type CatalogResource,
  type DestinationDescription,
  describeError,
  planBackup,
  requireMarker,
  UsageError,
  WEBHOOK_SECRET_KEY,
  webhookScope,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { pluginHost, resolveCatalog, resolveConfig, resolveSecrets } from '../container.js';
import { formatBytes, table } from '../output/format.js';
import type { Io } from '../output/io.js';
import { refuseNestedFolders } from '../state/nesting.js';
import { requireInstance } from './instances.js';
import { openPlan } from './open-plan.js';
import { scheduleOption } from './plan-set.js';
import { localTime, scheduleReport } from './schedule-format.js';

export async function addPlan(
  c: DependencyContainer,
  io: Io,
  name: string,
  sources: string[],
  destinations: string[],
  scheduleSpec?: string,
) {
  const store = resolveConfig(c);
  const config = store.read();
  if (config.plans[name]) throw new UsageError(`A plan named "${name}" already exists`, { hint: 'Pick another name' });
  if (sources.length === 0 || destinations.length === 0) {
    throw new UsageError('A plan needs at least one --source and one --destination');
  }
  for (const s of sources) requireInstance('source', s, config.sources);
  for (const d of destinations) requireInstance('destination', d, config.destinations);
  refuseNestedFolders(await pluginHost(c), config, { sources, destinations });
  const schedule = scheduleSpec === undefined ? undefined : scheduleOption(scheduleSpec);
  config.plans[name] = { sources, destinations, ...(schedule ? { schedule } : {}) };
  store.write(config);
  io.err(
    `Plan "${name}" added: ${sources.join(', ')} -> ${destinations.join(', ')}. Run it with \`lifeboat run ${name}\`.`,
  );
  if (schedule)
    io.err(
      `Scheduled ${scheduleReport(schedule, 0)?.describe}: start \`lifeboat daemon\` or \`lifeboat schedule install\`.`,
    );
  return 0;
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

/** `plan show`: lists the sources and asks the planner what each destination lacks; writes nothing anywhere. */
export async function showPlan(c: DependencyContainer, io: Io, name: string, json: boolean) {
  const signal = new AbortController().signal;
  const plan = await openPlan(c, name, signal);
  const catalog = resolveCatalog(c);
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
  const report = {
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
  if (json) {
    io.json(report);
    return 0;
  }
  io.out(`Plan "${name}": ${plan.config.sources.join(', ')} -> ${plan.config.destinations.join(', ')}`);
  io.out(
    `${result.totals.resources} files in the sources; ${result.totals.files} to read (${formatBytes(result.totals.bytesToRead)}).`,
  );
  io.out('');
  io.out(
    table([
      ['DESTINATION', 'TO COPY', 'BYTES', 'FREE', 'SPACE'],
      ...report.destinations.map((p) => [
        p.name,
        String(p.files),
        formatBytes(p.bytes),
        p.freeBytes === undefined ? '?' : formatBytes(p.freeBytes),
        p.enoughSpace ? 'ok' : `short by ${formatBytes(p.shortBy ?? 0)}`,
      ]),
      ...unavailable.map((u) => [u.name, '-', '-', '-', `unavailable: ${u.reason}`]),
    ]),
  );
  io.out('');
  const e = result.evaluation;
  io.out(`3-2-1: ${e.ok ? 'met' : 'not met'} (${e.copies} copies, ${e.media} media, ${e.offsite} offsite)`);
  for (const check of e.checks) io.out(`  ${check.ok ? 'ok  ' : 'MISS'} ${check.explanation}`);
  io.out('');
  if (!report.schedule) io.out('Schedule: none (set one with `lifeboat plan set <name> --schedule daily@03:00`)');
  else {
    io.out(`Schedule: ${report.schedule.describe}; next runs:`);
    for (const at of report.schedule.nextRuns) io.out(`  ${localTime(new Date(at))}`);
  }
  return 0;
}

export async function removePlan(c: DependencyContainer, io: Io, name: string) {
  const store = resolveConfig(c);
  const config = store.read();
  if (!config.plans[name]) throw new UsageError(`No plan named "${name}"`, { hint: 'See `lifeboat status` for plans' });
  const hadWebhook = config.plans[name]?.notify?.webhook;
  delete config.plans[name];
  store.write(config);
  if (hadWebhook) await resolveSecrets(c).delete(webhookScope(name), WEBHOOK_SECRET_KEY);
  io.err(`Removed plan "${name}". Its backups and history are kept.`);
  return 0;
}
