import { encryptedCopiesText } from '@lifeboat/core';
import type { DryRunService, PlanReport } from '../app/dry-run.js';
import type { PlanService } from '../app/plans.js';
import { localTime, scheduleReport } from '../app/schedule-format.js';
import { formatBytes, table } from '../output/format.js';
import type { Io } from '../output/io.js';

export async function addPlan(
  plans: PlanService,
  io: Io,
  name: string,
  sources: string[],
  destinations: string[],
  scheduleSpec?: string,
) {
  const { schedule } = await plans.add(name, sources, destinations, scheduleSpec);
  io.err(
    `Plan "${name}" added: ${sources.join(', ')} -> ${destinations.join(', ')}. Run it with \`lifeboat run ${name}\`.`,
  );
  if (schedule)
    io.err(
      `Scheduled ${scheduleReport(schedule, 0)?.describe}: start \`lifeboat daemon\` or \`lifeboat schedule install\`.`,
    );
  return 0;
}

/** `plan show`: lists the sources and asks the planner what each destination lacks; writes nothing anywhere. */
export async function showPlan(dryRun: DryRunService, io: Io, name: string, json: boolean) {
  const { report, destinations } = await dryRun.show(name);
  if (json) {
    io.json(report);
    return 0;
  }
  printPlan(io, report, destinations);
  return 0;
}

function printPlan(io: Io, report: PlanReport, destinations: string[]) {
  io.out(`Plan "${report.plan}": ${report.sources.join(', ')} -> ${destinations.join(', ')}`);
  io.out(
    `${report.resources} files in the sources; ${report.toRead.files} to read (${formatBytes(report.toRead.bytes)}).`,
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
      ...report.unavailable.map((u) => [u.name, '-', '-', '-', `unavailable: ${u.reason}`]),
    ]),
  );
  io.out('');
  const e = report.evaluation;
  io.out(`3-2-1: ${e.ok ? 'met' : 'not met'} (${e.copies} copies, ${e.media} media, ${e.offsite} offsite)`);
  if (e.encrypted.length > 0) io.out(`  ${encryptedCopiesText(e)}`);
  for (const check of e.checks) io.out(`  ${check.ok ? 'ok  ' : 'MISS'} ${check.explanation}`);
  io.out('');
  if (!report.schedule) io.out('Schedule: none (set one with `lifeboat plan set <name> --schedule daily@03:00`)');
  else {
    io.out(`Schedule: ${report.schedule.describe}; next runs:`);
    for (const at of report.schedule.nextRuns) io.out(`  ${localTime(new Date(at))}`);
  }
}

export async function removePlan(plans: PlanService, io: Io, name: string) {
  await plans.remove(name);
  io.err(`Removed plan "${name}". Its backups and history are kept.`);
  return 0;
}
