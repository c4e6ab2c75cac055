import { secretStoreFor } from '@lifeboat/tui';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIcloudWorld, type IcloudWorld } from '../icloud/icloud-world.js';
import { daemonLines, killDaemons, startDaemon } from './daemon-harness.js';
import { hookCommand, startWebhookServer, type WebhookServer } from './notify-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SIM = { assets: 12, seed: 81 };

describe('daemon + simulated iCloud: the session expires during unattended runs', () => {
  let world: IcloudWorld;
  let server: WebhookServer;
  let hook: Awaited<ReturnType<typeof hookCommand>>;

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: SIM, drives: ['drive-a'] });
    server = await startWebhookServer();
    hook = await hookCommand(world.root);
    const set = await world.cli(
      ['plan', 'set', 'main', '--schedule', 'every 2s', '--notify-command', hook.command, '--notify-webhook', 'on'],
      { input: `${server.url}\n` },
    );
    expect(set.code, set.describe()).toBe(0);
  });
  afterEach(killDaemons);
  afterAll(async () => {
    await server?.close();
    await world?.cleanup();
  });

  it('shows the session age after login, in status', async () => {
    const status = await world.cli(['status', '--json']);
    expect(status.code, status.describe()).toBe(0);
    const source = status.json<{ sources: { name: string; state: string; daysSinceLogin?: number }[] }>().sources;
    expect(source).toEqual([expect.objectContaining({ name: world.source, state: 'ok', daysSinceLogin: 0 })]);
  });

  it('warns once, ahead of time, that a new two-factor code will be needed soon', async () => {
    // The last two-factor sign-in was 25 days ago (what `lifeboat login` records), in the real secrets store.
    const secrets = secretStoreFor({ ...process.env, ...world.env, LIFEBOAT_HOME: world.home });
    const scope = { pluginId: 'icloud', kind: 'source' as const, name: world.source };
    await secrets.set(scope, 'trustedAt', new Date(Date.now() - 25 * 86_400_000).toISOString());
    const check = await world.cli(['check']);
    expect(check.code, check.describe()).toBe(1);
    expect(check.stdout).toContain(
      `PROBLEM source "${world.source}": last two-factor sign-in 25 days ago; Apple will ask for a new code soon: run \`lifeboat login ${world.source}\``,
    );
    for (let round = 0; round < 2; round++) {
      const before = daemonLines(world.home).length;
      const daemon = startDaemon({ home: world.home, env: world.env });
      await daemon.waitFor((l, i) => i >= before && l.run === 'finished');
      expect((await daemon.stop()).code).toBe(0);
    }
    const soon = hook.events().filter((e) => e.type === 'login-needed');
    expect(soon).toHaveLength(1); // two daemon starts, one notice
    expect(soon[0]).toMatchObject({
      source: world.source,
      reason: 'expiring-soon',
      command: `lifeboat login ${world.source}`,
    });
    expect(soon[0]!.lastLoginAt).toBeTypeOf('string');
    expect(server.received.filter((e) => e.type === 'login-needed')).toEqual(soon);
  }, 40_000);

  it('sends exactly one login-needed event, stops asking Apple, says what to run; login + run fixes it', async () => {
    const daemon = startDaemon({ home: world.home, env: world.env });
    await daemon.waitFor((l) => l.run === 'finished' && l.ok === true);
    // Apple ends every session, trust and session token (what happens every one to three months): a silent
    // renewal is refused and only `lifeboat login` (password + code) helps.
    world.sim.endAllSessions();
    const paused = await daemon.waitFor((l) => l.message.includes('paused: needs login'));
    expect(paused.message).toContain(`run \`lifeboat login ${world.source}\``);
    // Two more slots pass: the plan is skipped, Apple is not asked again, and no second notification goes out.
    await sleep(300);
    world.sim.counters.reset();
    await sleep(4500);
    const lines = daemonLines(world.home);
    expect(lines.filter((l) => l.skipped === 'needs-login').length).toBeGreaterThanOrEqual(2);
    expect(Object.values(world.sim.counters.snapshot().requests).reduce((a, b) => a + b, 0)).toBe(0);
    const loginEvents = hook.events().filter((e) => e.type === 'login-needed' && e.reason === 'expired');
    expect(loginEvents).toHaveLength(1);
    expect(loginEvents[0]).toMatchObject({
      version: 1,
      plan: 'main',
      source: world.source,
      reason: 'expired',
      command: `lifeboat login ${world.source}`,
    });
    expect(server.received.filter((e) => e.type === 'login-needed' && e.reason === 'expired')).toEqual(loginEvents);
    expect(hook.events().filter((e) => e.type === 'run-failed')).toEqual([]); // one notification, not two

    const status = await world.cli(['status']);
    expect(status.stdout).toContain(`needs login: run \`lifeboat login ${world.source}\``);
    const check = await world.cli(['check']);
    expect(check.code, check.describe()).toBe(1);
    expect(check.stdout).toContain(
      `PROBLEM source "${world.source}": needs login: run \`lifeboat login ${world.source}\``,
    );

    const login = await world.login();
    expect(login.code, login.describe()).toBe(0);
    const run = await world.cli(['run', 'main', '--json']);
    expect(run.code, run.describe()).toBe(0);
    const before = daemonLines(world.home).length;
    const resumed = await daemon.waitFor((l, i) => i >= before && l.run === 'finished');
    expect(resumed.ok).toBe(true);
    expect((await daemon.stop()).code).toBe(0);
    expect((await world.cli(['check'])).code).toBe(0);
    expect((await world.cli(['status'])).stdout).not.toContain('needs login');
  }, 60_000);
});
