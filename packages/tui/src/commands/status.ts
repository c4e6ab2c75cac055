import { localTime } from '../app/schedule-format.js';
import type { StatusReport } from '../app/status.js';
import { count, formatBytes, table } from '../output/format.js';
import type { Io } from '../output/io.js';

/** `status`: what each destination holds, each plan's last runs, and what vanished from the sources. */
export function printStatus(io: Io, report: StatusReport, json: boolean) {
  if (json) {
    io.json(report);
    return 0;
  }
  const { destinations, plans, sources } = report;
  const gone = report.goneFromSource.assets;
  io.out(
    table([
      ['DESTINATION', 'TYPE', 'ENCRYPTION', 'ASSETS', 'COPIES', 'SIZE'],
      ...destinations.map((d) => [
        d.name,
        d.type,
        d.encryption,
        String(d.assets),
        String(d.copies),
        formatBytes(d.bytes),
      ]),
    ]),
  );
  io.out('');
  for (const p of plans) {
    io.out(
      `Plan ${p.name}: last success ${p.lastSuccess ? localTime(new Date(p.lastSuccess)) : 'never'}${p.lastFailure ? `; last failure ${localTime(new Date(p.lastFailure.at))}: ${p.lastFailure.reason}` : ''}`,
    );
    io.out(`  ${scheduleLine(p)}`);
    for (const l of p.needsLogin) io.out(`  needs login: run \`${l.command}\``);
  }
  for (const s of sources) {
    const age = s.daysSinceLogin === undefined ? '' : ` (${s.daysSinceLogin} days since the last two-factor sign-in)`;
    io.out(`Source ${s.name}: sign-in ${s.state}${age}${s.message ? `: ${s.message}` : ''}`);
  }
  for (const o of report.offloaded) {
    io.out(
      `Offloaded from ${o.source}: ${count(o.assets, 'photo')} (${formatBytes(o.bytes)}), kept safe on the destinations`,
    );
  }
  if (gone.length > 0) {
    io.out('');
    io.out(`${count(gone.length, 'file is', 'files are')} gone from their source; every copy of them is kept:`);
    for (const g of gone.slice(0, 20)) io.out(`  ${g.source}: ${g.fileName} (${goneState(g)})`);
    if (gone.length > 20) io.out(`  ... and ${gone.length - 20} more (use --json for all)`);
  }
  return 0;
}

/** Deleted but still in the source's trash (iCloud's Recently Deleted), or missing from it altogether. */
function goneState(g: StatusReport['goneFromSource']['assets'][number]): string {
  if (!g.inSourceTrash) return `missing since ${localTime(new Date(g.firstMissingAt))}`;
  const until = g.purgeAt ? ` until ${g.purgeAt.slice(0, 10)}` : '';
  return `deleted ${localTime(new Date(g.firstMissingAt))}; in Recently Deleted at the source${until}`;
}

/** The next run only when something will start it; otherwise why nothing will, and what to do. */
function scheduleLine(p: StatusReport['plans'][number]): string {
  if (!p.schedule) return 'next run: not scheduled';
  const activity = p.scheduleActivity;
  if (activity?.active) {
    const next = p.nextRun ? localTime(new Date(p.nextRun)) : 'not known';
    return `next run: ${next} (${p.schedule}; run by ${activity.by.join(' and ')})`;
  }
  const found = activity?.inactive ? `: ${activity.inactive}` : '';
  return (
    `schedule NOT ACTIVE (${p.schedule}): no daemon runs and it is not installed in the OS scheduler${found}. ` +
    `Start \`lifeboat daemon\` or run \`lifeboat schedule install --plan ${p.name}\``
  );
}
