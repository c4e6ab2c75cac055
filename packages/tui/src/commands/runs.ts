import { UsageError } from '@lifeboat/core';
import type { RunDetail, RunsService } from '../app/runs.js';
import { localTime } from '../app/schedule-format.js';
import { count, formatBytes, table } from '../output/format.js';
import type { Io } from '../output/io.js';

/** `runs [--plan P]`: the run history, newest first. */
export function listRuns(runs: RunsService, io: Io, plan: string | undefined, json: boolean) {
  const items = runs.list(plan);
  if (json) {
    io.json(items);
    return 0;
  }
  if (items.length === 0) {
    io.out(plan ? `No runs of plan "${plan}" yet.` : 'No runs yet. Start one with `lifeboat run <plan>`.');
    return 0;
  }
  io.out(
    table([
      ['ID', 'PLAN', 'STARTED', 'STATE', 'COPIED', 'SIZE', 'FAILED'],
      ...items.map((r) => [
        String(r.id),
        r.plan,
        localTime(new Date(r.startedAt)),
        r.state,
        String(r.filesCopied),
        formatBytes(r.bytesCopied),
        String(r.failures),
      ]),
    ]),
  );
  io.err('See one run in detail: `lifeboat runs show <id>`.');
  return 0;
}

/** `runs show <id>`: what one run copied (per file), skipped (a count) and failed (per file). */
export function showRun(runs: RunsService, io: Io, id: string, json: boolean) {
  if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not a run id`, { hint: 'See `lifeboat runs` for the ids' });
  const run = runs.show(Number(id));
  if (json) {
    io.json(run);
    return 0;
  }
  printRun(io, run);
  return 0;
}

function printRun(io: Io, r: RunDetail) {
  const finished = r.finishedAt ? `, finished ${localTime(new Date(r.finishedAt))}` : '';
  io.out(`Run ${r.id} of plan ${r.plan}: ${r.state}; started ${localTime(new Date(r.startedAt))}${finished}.`);
  io.out(
    `${count(r.filesCopied, 'file')} copied (${formatBytes(r.bytesCopied)})${r.listed === undefined ? '' : ` of ${count(r.listed, 'file')} in the sources`}; ${count(r.failed.length, 'failure')}.`,
  );
  for (const d of r.destinations) {
    if (d.error) {
      io.out(`${d.name}: FAILED: ${d.error.message}`);
      continue;
    }
    const skipped = d.skipped === undefined ? '' : `; ${count(d.skipped, 'file')} already there`;
    io.out(`${d.name}: ${count(d.filesCopied, 'file')} copied (${formatBytes(d.bytesCopied)})${skipped}`);
    for (const c of d.copied) io.out(`  copied ${c.key} (${formatBytes(c.size)})`);
  }
  // A destination that failed as a whole is said above, once.
  const whole = new Set(r.destinations.flatMap((d) => (d.error ? [`${d.name}\n${d.error.message}`] : [])));
  for (const f of r.failed) {
    if (!f.fileName && whole.has(`${f.destination}\n${f.message}`)) continue;
    const where = [f.fileName, f.destination].filter(Boolean).join(' -> ');
    io.out(`failed: ${where}${where ? ': ' : ''}${f.message}`);
  }
}
