import type { DestinationRepair, RepairReport } from '@lifeboat/core';
import type { RepairService } from '../app/repair.js';
import type { UnavailableDestination } from '../app/verify.js';
import { formatBytes } from '../output/format.js';
import type { Io } from '../output/io.js';
import { printVerify } from './verify.js';

/**
 * `repair <destination|plan> [--json]`: verifies in full, then re-creates every missing or damaged copy from a
 * healthy copy on any other configured destination, else from the source. Exit 0 only when nothing is left
 * to repair.
 */
export async function repair(service: RepairService, io: Io, target: string, options: { json: boolean }) {
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('stopped by the user'));
  process.once('SIGINT', stop);
  try {
    const { report, unavailable, ok } = await service.repair(target, {
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
    if (options.json) io.json({ ...report, ok, target, unavailable });
    else printRepair(io, target, report, unavailable, ok);
    return ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}
function printRepair(io: Io, target: string, report: RepairReport, unavailable: UnavailableDestination[], ok: boolean) {
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
