import type { DaemonService } from '../app/daemon.js';
import { daemonLog } from '../app/daemon-log.js';
import type { MetricsService } from '../app/metrics.js';
import type { VerifyService } from '../app/verify.js';
import type { Io } from '../output/io.js';
import { markDaemonRunning } from '../state/daemon-presence.js';
import { serveMetrics } from './daemon-metrics.js';
import { runScrub } from './scrub-hook.js';

export interface DaemonCommandOptions {
  tickMs?: number;
  loginCheckMs?: number;
  logMaxBytes?: number;
  /** `--metrics host:port`: serve /metrics and /healthz there while the daemon runs. */
  metrics?: { listen: string; service: MetricsService };
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
  let unmark: (() => void) | undefined;
  let served: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  try {
    // Listening before anything else: a taken port fails the start, with what to do, rather than later.
    served = options.metrics
      ? await serveMetrics(options.metrics.service, options.metrics.listen, (m) => log.error(m))
      : undefined;
    if (served) log.info(`metrics on http://${served.address}/metrics and /healthz`, { metrics: served.address });
    // `status` and the home screen read this to tell that the schedules are running.
    unmark = markDaemonRunning(daemon.paths, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ...(served ? { metrics: served.address } : {}),
    });
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
    unmark?.();
    served?.server.close();
    served?.server.closeAllConnections();
  }
}
