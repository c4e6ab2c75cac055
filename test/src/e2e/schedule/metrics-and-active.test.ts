/**
 * Issue 15 for a headless box: `status` says whether a schedule will actually run (a daemon holds it, or the OS
 * scheduler) instead of promising a next run nothing will start; `lifeboat daemon --metrics` serves Prometheus
 * metrics of the last runs and destinations, and /healthz answers 200 when `lifeboat check` passes, 503 with its
 * problems when not. All against the built CLI and a daemon started by the test.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { killDaemons, startDaemon } from './daemon-harness.js';

/** A port free now (the daemon is told to listen on it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe('schedules that say whether they run, and metrics for monitoring', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 3, seed: 15 });
    const set = await world.cli(['plan', 'set', 'main', '--schedule', 'daily@03:30']);
    expect(set.code, set.describe()).toBe(0);
  });
  afterEach(() => killDaemons());
  afterAll(() => world?.cleanup());

  it('status does not promise a next run when no daemon runs and nothing is installed', async () => {
    const status = await world.cli(['status']);
    expect(status.code, status.describe()).toBe(0);
    expect(status.stdout).toContain('schedule NOT ACTIVE (daily@03:30)');
    expect(status.stdout).toContain('lifeboat schedule install --plan main');
    expect(status.stdout).not.toContain('next run:');
    const json = (await world.cli(['status', '--json'])).json<{
      plans: { name: string; scheduleActivity: { active: boolean } }[];
    }>();
    expect(json.plans[0]?.scheduleActivity.active).toBe(false);
  });

  it('serves /metrics and /healthz from the daemon, and status says the daemon holds the schedule', async () => {
    const run = await world.runOk();
    expect(run.filesCopied).toBe(3);
    const port = await freePort();
    const daemon = startDaemon({ home: world.home }, ['--tick', '200', '--metrics', `127.0.0.1:${port}`]);
    await daemon.waitFor((l) => l.message.startsWith('metrics on http://127.0.0.1:'));

    const status = await world.cli(['status']);
    expect(status.stdout).toMatch(/next run: .* \(daily@03:30; run by lifeboat daemon \(pid \d+\)\)/);

    const metrics = await get(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/lifeboat_plan_last_run_success\{plan="main",state="ok"\} 1/);
    expect(metrics.body).toMatch(/lifeboat_plan_last_run_files_copied\{plan="main"\} 3/);
    expect(metrics.body).toMatch(/lifeboat_plan_last_run_bytes_copied\{plan="main"\} [1-9]\d*/);
    expect(metrics.body).toMatch(/lifeboat_plan_last_run_errors\{plan="main"\} 0/);
    expect(metrics.body).toMatch(/lifeboat_plan_schedule_active\{plan="main"\} 1/);
    expect(metrics.body).toMatch(/lifeboat_destination_up\{destination="drive-a"\} 1/);
    expect(metrics.body).toMatch(/lifeboat_destination_assets\{destination="drive-b"\} 3/);
    expect(metrics.body).toMatch(/lifeboat_destination_free_bytes\{destination="drive-a"\} [1-9]/);

    const healthy = await get(`http://127.0.0.1:${port}/healthz`);
    expect(healthy).toEqual({ status: 200, body: 'ok\n' });

    // A drive goes away: the metrics say so, and /healthz fails with what `lifeboat check` says.
    rmSync(world.drives[1]!.path, { recursive: true, force: true });
    const down = await get(`http://127.0.0.1:${port}/metrics`);
    expect(down.body).toMatch(/lifeboat_destination_up\{destination="drive-b"\} 0/);
    const unhealthy = await get(`http://127.0.0.1:${port}/healthz`);
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body).toContain('destination "drive-b": unreachable');

    expect(await daemon.stop()).toEqual({ code: 0, signal: null });
    // Stopped: nothing runs the schedule any more, and status says so again.
    expect((await world.cli(['status'])).stdout).toContain('schedule NOT ACTIVE');
  });

  it('refuses a --metrics address it cannot use, with what to do', async () => {
    const result = await world.cli(['daemon', '--metrics', 'not-an-address']);
    expect(result.code).toBe(2); // a usage error
    expect(result.stderr).toContain('--metrics not-an-address is not an address');
    expect(result.stderr).toContain('127.0.0.1:9464');
  });
});
