import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Destination, requireMarker, restoreFromDestination, UsageError } from '@lifeboat/core';
import picomatch from 'picomatch';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig } from '../container.js';
import { formatBytes } from '../output/format.js';
import type { Io } from '../output/io.js';
import { createInstance } from '../state/instances.js';

export interface RestoreArgs {
  from: string;
  to: string;
  since?: string;
  until?: string;
  match?: string;
  json: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `--from` names a configured destination, or, with no local state (a new machine), the destination's location:
 * a folder path is opened as a disk destination.
 */
async function openFrom(c: DependencyContainer, from: string, signal: AbortSignal): Promise<Destination> {
  const host = await pluginHost(c);
  const configured = resolveConfig(c).read().destinations[from];
  if (configured) {
    return createInstance(
      host,
      'destination',
      from,
      configured,
      await contextFor(c, 'destination', from, configured.type, signal),
    );
  }
  if (existsSync(from) && statSync(from).isDirectory()) {
    const ctx = await contextFor(c, 'destination', 'restore', 'disk', signal);
    return createInstance(host, 'destination', from, { type: 'disk', settings: { path: resolve(from) } }, ctx);
  }
  throw new UsageError(`"${from}" is neither a configured destination nor a folder`, {
    hint: 'Give a destination name from `lifeboat destination list`, or the path of a backup drive folder',
  });
}

export async function restore(c: DependencyContainer, io: Io, args: RestoreArgs) {
  for (const [flag, value] of [
    ['--since', args.since],
    ['--until', args.until],
  ] as const) {
    if (value !== undefined && (!DAY.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`${flag} ${value} is not a date`, {
        hint: `Write it as YYYY-MM-DD, e.g. ${flag} 2024-01-31`,
      });
    }
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const destination = await openFrom(c, args.from, abort.signal);
  await requireMarker(destination, args.from);
  const glob = args.match ? picomatch(args.match, { basename: true, nocase: false }) : undefined;
  const summary = await restoreFromDestination({
    destination,
    to: resolve(args.to),
    filter: {
      ...(args.since ? { since: args.since } : {}),
      ...(args.until ? { until: args.until } : {}),
      ...(glob ? { match: (e) => glob(e.key) } : {}),
    },
    signal: abort.signal,
    onEvent: (e) => {
      if (e.type === 'restore-failed' && !args.json) io.err(`failed: ${e.failure.key}: ${e.failure.message}`);
    },
  });
  if (args.json) io.json(summary);
  else {
    io.err(
      `${summary.ok ? 'Restored' : 'Restore finished with problems'}: ${summary.filesRestored} of ${summary.matched} matching files (${formatBytes(summary.bytesRestored)}) to ${resolve(args.to)}${summary.alreadyPresent ? `; ${summary.alreadyPresent} were already there` : ''}.`,
    );
  }
  return summary.ok ? 0 : 1;
}
