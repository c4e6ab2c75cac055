import type { DaemonService } from '../app/daemon.js';
import { daemonLog } from '../app/daemon-log.js';
import type { VerifyService } from '../app/verify.js';
import type { Io } from '../output/io.js';
import { runScrub } from './scrub-hook.js';

export interface DaemonCommandOptions {
  tickMs?: number;
  loginCheckMs?: number;
  logMaxBytes?: number;
}

/**
 * `lifeboat daemon`: the app layer's daemon loop, logging to daemon.log (echoed to stderr), until SIGTERM/SIGINT.
 * On a signal in-flight copies are abandoned cleanly (temp files removed, never a partial file under a final name),
 * the runs are recorded as stopped, and the process exits 0.
 */
export async function runDaemon(
  daemon: DaemonService,
  verify: VerifyService,
  io: Io,
  options: DaemonCommandOptions = {},
): Promise<number> {
  const log = daemonLog(daemon.logsDir, options.logMaxBytes ? { maxBytes: options.logMaxBytes } : {}, (l) => io.err(l));
  const abort = new AbortController();
  const stop = (signal: string) => {
    if (!abort.signal.aborted) log.info(`${signal} received: stopping (abandoning in-flight copies cleanly)`);
    abort.abort(new Error('the daemon is stopping'));
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    await daemon.run({
      log,
      signal: abort.signal,
      scrub: (plan, samplePercent, signal) => runScrub(verify, plan, samplePercent, signal, log),
      ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
      ...(options.loginCheckMs !== undefined ? { loginCheckMs: options.loginCheckMs } : {}),
    });
    return 0;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
}
