import { join } from 'node:path';
import {
  acquireLock,
  type DestinationRepair,
  type NamedDestination,
  type RepairReport,
  repairDestinations,
  type Source,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveCatalog, resolveConfig, resolvePaths } from '../container.js';
import { formatBytes } from '../output/format.js';
import type { Io } from '../output/io.js';
import { createInstance } from '../state/instances.js';
import { destinationNames, errorOf, openDestination, printVerify } from './verify.js';

/** Sources opened only when a copy must be re-read from one, once each. */
function sourceOpener(c: DependencyContainer, signal: AbortSignal) {
  const opened = new Map<string, Promise<Source | undefined>>();
  return (name: string): Promise<Source | undefined> => {
    let source = opened.get(name);
    if (!source) {
      const cfg = resolveConfig(c).read().sources[name];
      source = cfg
        ? contextFor(c, 'source', name, cfg.type, signal).then(async (ctx) =>
            createInstance(await pluginHost(c), 'source', name, cfg, ctx),
          )
        : Promise.resolve(undefined);
      opened.set(name, source);
    }
    return source;
  };
}

/**
 * `repair <destination|plan> [--json]`: verifies in full, then re-creates every missing or damaged copy from a
 * healthy copy on any other configured destination, else from the source. Exit 0 only when nothing is left
 * to repair.
 */
export async function repair(c: DependencyContainer, io: Io, target: string, options: { json: boolean }) {
  const { kind, names } = destinationNames(c, target);
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('stopped by the user'));
  process.once('SIGINT', stop);
  // A plan's repair holds the plan's lock, so a backup run of it and its repair never interleave.
  const release =
    kind === 'plan'
      ? await acquireLock(join(resolvePaths(c).locksDir, `plan-${target}.lock`), `Plan "${target}"`)
      : undefined;
  try {
    const targets: NamedDestination[] = [];
    const unavailable = [];
    for (const name of names) {
      try {
        targets.push(await openDestination(c, name, abort.signal));
      } catch (error) {
        unavailable.push(errorOf(name, error));
      }
    }
    // Every configured destination may hold a healthy copy, in the plan or not.
    const donors: NamedDestination[] = [...targets];
    for (const name of Object.keys(resolveConfig(c).read().destinations)) {
      if (names.includes(name)) continue;
      try {
        donors.push(await openDestination(c, name, abort.signal));
      } catch {
        // A destination that cannot be opened simply offers no copies.
      }
    }
    const report = await repairDestinations({
      targets,
      donors,
      catalog: resolveCatalog(c),
      openSource: sourceOpener(c, abort.signal),
      signal: abort.signal,
      onEvent: (e) => {
        if (options.json) return;
        if (e.type === 'verify-started')
          io.err(`Checking ${e.destination}: reading back ${e.toRead} copies (${formatBytes(e.bytesToRead)})...`);
        else if (e.type === 'repaired')
          io.err(`  repaired ${e.destination}: ${e.repair.key} (was ${e.repair.was}) from ${e.repair.from}`);
        else if (e.type === 'repair-failed')
          io.err(`  NOT repaired ${e.destination}: ${e.failure.key}: ${e.failure.message}`);
      },
    });
    const ok = report.ok && unavailable.length === 0;
    if (options.json) io.json({ ...report, ok, target, unavailable });
    else printRepair(io, target, report, unavailable, ok);
    return ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    await release?.();
  }
}

function printRepair(
  io: Io,
  target: string,
  report: RepairReport,
  unavailable: ReturnType<typeof errorOf>[],
  ok: boolean,
) {
  const repaired = report.destinations.reduce((n, d) => n + d.repaired.length, 0);
  io.err(
    ok
      ? `Repaired ${target}: ${repaired === 0 ? 'nothing needed repair' : `${repaired} copies re-created`}; every copy is healthy.`
      : `Repair of ${target} finished with problems left: ${repaired} copies re-created.`,
  );
  for (const d of report.destinations) printDestination(io, d);
  for (const u of unavailable) printVerify(io, u);
}

function printDestination(io: Io, d: DestinationRepair) {
  if (d.error) {
    printVerify(io, { destination: d.destination, ok: false, error: d.error });
    return;
  }
  const bytes = d.repaired.reduce((n, r) => n + r.size, 0);
  io.err(
    `  ${d.destination}: ${d.repaired.length} re-created (${formatBytes(bytes)}), ${d.failures.length} not repaired` +
      `${d.reindexed ? `, ${d.reindexed} written to its index again` : ''}` +
      `${d.healthyOnRecheck.length ? `, ${d.healthyOnRecheck.length} healthy on a second read` : ''}`,
  );
  for (const f of d.failures.slice(0, 20)) io.err(`    not repaired: ${f.key} (${f.was}): ${f.message}`);
  if (d.verify?.indexError) io.err(`    index: ${d.verify.indexError.message}`);
  for (const key of d.unexpected.slice(0, 20)) io.err(`    unexpected (left as it is): ${key}`);
}
