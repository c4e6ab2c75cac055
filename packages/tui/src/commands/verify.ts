import {
  ConfigError,
  type NamedDestination,
  UsageError,
  type VerifyProblem,
  type VerifyReport,
  type VerifySelection,
  verifyDestination,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveCatalog, resolveConfig } from '../container.js';
import { formatBytes, formatDuration } from '../output/format.js';
import type { Io } from '../output/io.js';
import { createInstance } from '../state/instances.js';

/** A destination `verify`/`repair` could not check at all (not mounted, no marker, unreachable). */
export interface UnavailableDestination {
  destination: string;
  ok: false;
  error: { code: string; message: string; hint?: string };
}

/** The destinations a `<destination|plan>` argument names: a destination first, else every one of a plan. */
export function destinationNames(
  c: DependencyContainer,
  target: string,
): { kind: 'destination' | 'plan'; names: string[] } {
  const config = resolveConfig(c).read();
  if (config.destinations[target]) return { kind: 'destination', names: [target] };
  const plan = config.plans[target];
  if (plan) return { kind: 'plan', names: [...plan.destinations] };
  throw new ConfigError(`"${target}" is neither a destination nor a plan`, {
    hint: `Destinations: ${Object.keys(config.destinations).join(', ') || '(none)'}; plans: ${Object.keys(config.plans).join(', ') || '(none)'}`,
  });
}

/** Creates a configured destination through the plugin host. */
export async function openDestination(c: DependencyContainer, name: string, signal: AbortSignal) {
  const cfg = resolveConfig(c).read().destinations[name];
  if (!cfg) {
    throw new ConfigError(`Destination "${name}" is not configured`, { hint: 'See `lifeboat destination list`' });
  }
  const ctx = await contextFor(c, 'destination', name, cfg.type, signal);
  return { name, destination: await createInstance(await pluginHost(c), 'destination', name, cfg, ctx) };
}

export function parseSelection(sample: string | undefined, all: boolean | undefined): VerifySelection {
  if (sample !== undefined && all) {
    throw new UsageError('--sample and --all cannot be used together', {
      hint: '--all reads every copy; --sample 5 reads the 5% least recently verified',
    });
  }
  if (sample === undefined) return { all: true };
  const percent = Number(sample.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100) {
    throw new UsageError(`--sample ${sample} is not a percentage`, {
      hint: 'Give a number above 0 and up to 100, e.g. --sample 5',
    });
  }
  return { samplePercent: percent };
}

export function errorOf(name: string, error: unknown): UnavailableDestination {
  const e = error as { code?: unknown; message?: unknown; hint?: unknown };
  return {
    destination: name,
    ok: false,
    error: {
      code: typeof e?.code === 'string' && e.code.startsWith('LIFEBOAT_') ? e.code : 'LIFEBOAT_ERROR',
      message: typeof e?.message === 'string' ? e.message : String(error),
      ...(typeof e?.hint === 'string' ? { hint: e.hint } : {}),
    },
  };
}

/** Verifies each named destination in turn; one that cannot be checked is reported and the others still are. */
async function verifyAll(
  c: DependencyContainer,
  io: Io,
  names: string[],
  selection: VerifySelection,
  signal: AbortSignal,
  quiet: boolean,
): Promise<Array<VerifyReport | UnavailableDestination>> {
  const results: Array<VerifyReport | UnavailableDestination> = [];
  for (const name of names) {
    if (signal.aborted) break;
    try {
      const target: NamedDestination = await openDestination(c, name, signal);
      const report = await verifyDestination({
        ...target,
        catalog: resolveCatalog(c),
        selection,
        signal,
        onEvent: (e) => {
          if (quiet || e.type !== 'verify-started') return;
          io.err(`Verifying ${name}: ${e.copies} copies; reading back ${e.toRead} (${formatBytes(e.bytesToRead)})...`);
        },
      });
      results.push(report);
    } catch (error) {
      results.push(errorOf(name, error));
    }
  }
  return results;
}

const LABEL: Record<VerifyProblem['kind'], string> = {
  missing: 'missing',
  corrupt: 'damaged',
  unreadable: 'unreadable',
  unexpected: 'unexpected',
  unindexed: 'not in the destination index',
};

export function printVerify(io: Io, result: VerifyReport | UnavailableDestination, limit = 20): void {
  if (!('problems' in result)) {
    io.err(`  ${result.destination}: NOT CHECKED: ${result.error.message} [${result.error.code}]`);
    if (result.error.hint) io.err(`    what to do: ${result.error.hint}`);
    return;
  }
  const r = result;
  const count = r.problems.filter((p) => p.kind !== 'unexpected').length + (r.indexError ? 1 : 0);
  const state = r.aborted ? 'STOPPED' : r.ok ? 'healthy' : `${count} ${count === 1 ? 'PROBLEM' : 'PROBLEMS'}`;
  io.err(
    `  ${r.destination}: ${state}: ${r.copies} copies (per the ${r.basis === 'catalog' ? 'catalog' : "destination's own index"}), ` +
      `${r.healthy} of ${r.checked} read back matched (${formatBytes(r.bytesChecked)} in ${formatDuration(r.durationMs / 1000)})`,
  );
  if (r.indexError) io.err(`    index: ${r.indexError.message}`);
  for (const p of r.problems.slice(0, limit)) io.err(`    ${LABEL[p.kind]}: ${p.message}`);
  if (r.problems.length > limit) io.err(`    ... and ${r.problems.length - limit} more (use --json for all)`);
}

/** `verify <destination|plan> [--sample <percent>|--all] [--json]`: exit 0 only when every copy checked is healthy. */
export async function verify(
  c: DependencyContainer,
  io: Io,
  target: string,
  options: { sample?: string; all?: boolean; json: boolean },
): Promise<number> {
  const selection = parseSelection(options.sample, options.all);
  const { names } = destinationNames(c, target);
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('stopped by the user'));
  process.once('SIGINT', stop);
  try {
    const results = await verifyAll(c, io, names, selection, abort.signal, options.json);
    const ok = results.every((r) => r.ok) && !abort.signal.aborted;
    if (options.json) io.json({ ok, target, selection, destinations: results });
    else {
      io.err(ok ? `Verified ${target}: every copy checked is healthy.` : `Verified ${target}: problems found.`);
      for (const r of results) printVerify(io, r);
      if (!ok && results.some((r) => 'problems' in r && r.problems.some((p) => p.kind !== 'unexpected'))) {
        io.err(`  what to do: run \`lifeboat repair ${target}\` to re-create them from a healthy copy`);
      }
    }
    return ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}

/**
 * A scheduled scrub: reads back `samplePercent` of every destination of `plan` (least recently verified first,
 * so successive scrubs cover everything) and reports on `io`. Called by the schedules daemon.
 */
export async function scrubPlan(
  c: DependencyContainer,
  io: Io,
  plan: string,
  samplePercent: number,
  signal: AbortSignal,
): Promise<{ ok: boolean }> {
  const config = resolveConfig(c).read().plans[plan];
  if (!config) throw new ConfigError(`No plan named "${plan}"`, { hint: 'See `lifeboat plan show`' });
  const selection = parseSelection(String(samplePercent), false);
  const results = await verifyAll(c, io, [...config.destinations], selection, signal, true);
  const ok = results.every((r) => r.ok) && !signal.aborted;
  io.err(`Scrub of plan ${plan} (${samplePercent}%): ${ok ? 'healthy' : 'problems found'}.`);
  for (const r of results) printVerify(io, r, 10);
  if (!ok) io.err(`  what to do: run \`lifeboat repair ${plan}\``);
  return { ok };
}
