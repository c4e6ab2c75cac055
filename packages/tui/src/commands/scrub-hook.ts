import type { DaemonLog } from '../app/daemon-log.js';
import type { VerifyService } from '../app/verify.js';
import type { Io } from '../output/io.js';
import { scrubPlan } from './verify.js';

/** The daemon's scheduled scrub: `lifeboat verify`'s sample check of a plan's copies, its output to the log. */
export function runScrub(
  verify: VerifyService,
  plan: string,
  samplePercent: number,
  signal: AbortSignal,
  log: DaemonLog,
): Promise<{ ok: boolean }> {
  const io: Io = {
    out: (text) => log.info(text, { plan, scrub: 'output' }),
    err: (text) => log.info(text, { plan, scrub: 'output' }),
    json: (value) => log.info('scrub report', { plan, report: value }),
    isTTY: false,
  };
  return scrubPlan(verify, io, plan, samplePercent, signal);
}
