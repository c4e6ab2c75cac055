import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DAMAGED_HINT,
  type Destination,
  inspectMarker,
  MemorySecretStore,
  parseSetOptions,
  requireMarker,
  restoreFromDestination,
  UsageError,
  validateSettings,
} from '@lifeboat/core';
import picomatch from 'picomatch';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig, resolvePaths } from '../container.js';
import { formatBytes } from '../output/format.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';
import { fileLogger } from '../state/file-logger.js';
import { createInstance, instanceContext, normalizePaths } from '../state/instances.js';

export interface RestoreArgs {
  from?: string;
  /** An unconfigured destination: its type, settings and secrets, as for `destination add`. */
  type?: string;
  set: string[];
  secret: string[];
  to: string;
  since?: string;
  until?: string;
  match?: string;
  json: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Which destination to restore from: a configured one by name; or, with no local state (a new machine), the
 * destination itself: a folder path (a disk destination), or `--type` with its settings and secrets, which are
 * held in memory for this command only and never saved.
 */
export async function openFrom(c: DependencyContainer, args: RestoreArgs, signal: AbortSignal): Promise<Destination> {
  const host = await pluginHost(c);
  if (args.type) {
    const { contribution, pluginId } = host.contribution('destination', args.type);
    const given = parseSetOptions(args.set);
    const settings = normalizePaths(contribution, validateSettings('destination', contribution, given));
    const secrets = new MemorySecretStore();
    const scope = { pluginId, kind: 'destination' as const, name: 'restore' };
    for (const key of args.secret) await secrets.set(scope, key, await readSecret(`${args.type} ${key}`));
    const ctx = instanceContext(secrets, scope, fileLogger(resolvePaths(c).logsDir, 'restore'), signal);
    return createInstance(host, 'destination', 'restore', { type: args.type, settings }, ctx);
  }
  const from = args.from;
  if (!from) {
    throw new UsageError('Say where to restore from', {
      hint: '--from <destination name or backup folder>, or --type <type> --set key=value ... for another kind',
    });
  }
  const configured = resolveConfig(c).read().destinations[from];
  if (configured) {
    const ctx = await contextFor(c, 'destination', from, configured.type, signal);
    return createInstance(host, 'destination', from, configured, ctx);
  }
  if (existsSync(from) && statSync(from).isDirectory()) {
    const ctx = await contextFor(c, 'destination', 'restore', 'disk', signal);
    return createInstance(host, 'destination', from, { type: 'disk', settings: { path: resolve(from) } }, ctx);
  }
  throw new UsageError(`"${from}" is neither a configured destination nor a folder`, {
    hint: 'Give a destination name from `lifeboat destination list`, the path of a backup folder, or --type with its settings',
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
  const destination = await openFrom(c, args, abort.signal);
  await checkMarker(io, destination, args.from ?? args.type ?? 'restore');
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
      if (e.type === 'index-damaged' && !args.json) {
        io.err(`skipped a damaged index line: ${e.damaged.segment} line ${e.damaged.line}: ${e.damaged.reason}`);
      }
    },
  });
  if (args.json) io.json(summary);
  else {
    io.err(
      `${summary.ok ? 'Restored' : 'Restore finished with problems'}: ${summary.filesRestored} of ${summary.matched} matching files (${formatBytes(summary.bytesRestored)}) to ${resolve(args.to)}${summary.alreadyPresent ? `; ${summary.alreadyPresent} were already there` : ''}.`,
    );
  }
  if (summary.leftoversRemoved > 0 && !args.json) {
    io.err(`Removed ${summary.leftoversRemoved} temp file(s) an interrupted restore had left in ${resolve(args.to)}.`);
  }
  if (summary.damagedIndexLines.length > 0 && !args.json) {
    io.err(
      `${summary.damagedIndexLines.length} damaged index line(s) skipped: the files they described were not restored. ${DAMAGED_HINT}, then restore again.`,
    );
  }
  return summary.ok ? 0 : 1;
}

/**
 * A missing marker means the drive is not there (refused, as for a run); a damaged one does not stop a restore:
 * the index and the files are what a restore needs, and each file is checked against its sha256 anyway.
 */
async function checkMarker(io: Io, destination: Destination, name: string): Promise<void> {
  const state = await inspectMarker(destination);
  if (state.state === 'missing') await requireMarker(destination, name);
  if (state.state === 'damaged') {
    io.err(`warning: ${state.error.message}; restoring from the index anyway. ${state.error.hint ?? ''}`);
  }
}
