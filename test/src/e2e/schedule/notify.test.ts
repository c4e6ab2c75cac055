import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { secretStoreFor } from '@lifeboat/tui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsEnv } from '../icloud/icloud-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { hookCommand, type NotifyEvent, startWebhookServer, type WebhookServer } from './notify-harness.js';

const BASE_KEYS = ['version', 'type', 'plan', 'at', 'host', 'message'];

/** Every file under LIFEBOAT_HOME as text (config, logs, catalog): a secret must be in none of them. */
function homeText(home: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [readFileSync(join(dir, e.name)).toString('latin1')],
    );
  return walk(home).join('\n');
}

describe('notifications: a command hook and a webhook get the same JSON for each event', () => {
  let world: BackupWorld;
  let server: WebhookServer;
  let hook: Awaited<ReturnType<typeof hookCommand>>;
  const env = secretsEnv();
  const cli = (args: string[], input?: string) => world.cli(args, { env, ...(input ? { input } : {}) });

  beforeAll(async () => {
    world = await createBackupWorld({ count: 12, seed: 71 });
    server = await startWebhookServer();
    hook = await hookCommand(world.root);
    const set = await cli(
      ['plan', 'set', 'main', '--notify-command', hook.command, '--notify-webhook', 'on'],
      `${server.url}\n`,
    );
    expect(set.code, set.describe()).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    await world?.cleanup();
  });

  /** Runs the plan and returns the events this run sent, checking hook and webhook agree. */
  async function run(expectCode: number): Promise<NotifyEvent[]> {
    const before = hook.events().length;
    const result = await cli(['run', 'main', '--json']);
    expect(result.code, result.describe()).toBe(expectCode);
    const fromHook = hook.events().slice(before);
    expect(server.received.slice(before)).toEqual(fromHook);
    for (const e of fromHook) {
      expect(e).toMatchObject({ version: 1, plan: 'main' });
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    }
    return fromHook;
  }

  it('keeps the webhook URL out of the config, the logs and the catalog', async () => {
    expect(homeText(world.home)).not.toContain('tok-9f8e7d6c5b4a');
    const config = JSON.parse(readFileSync(join(world.home, 'config.json'), 'utf8'));
    expect(config.plans.main.notify).toEqual({ command: hook.command.split(' '), webhook: true });
  });

  it('sends nothing for a first clean run', async () => {
    expect(await run(0)).toEqual([]);
  });

  it('run-failed: a destination unavailable', async () => {
    const driveB = world.drives[1]!.path;
    await rename(driveB, `${driveB}.away`);
    const [event, ...more] = await run(1);
    expect(more).toEqual([]);
    expect(Object.keys(event!).sort()).toEqual(
      [...BASE_KEYS, 'runId', 'failureCount', 'failures', 'filesCopied'].sort(),
    );
    expect(event).toMatchObject({ type: 'run-failed', failureCount: 1 });
    expect((event!.failures as { code: string; destination: string }[])[0]).toMatchObject({
      code: 'LIFEBOAT_DEST_UNAVAILABLE',
      destination: 'drive-b',
    });
    await rename(`${driveB}.away`, driveB);
  });

  it('run-recovered: success after failure (the webhook retried a 503 and still delivered it)', async () => {
    server.answers = [503];
    const requestsBefore = server.requests;
    const [event, ...more] = await run(0);
    expect(more).toEqual([]);
    expect(server.requests - requestsBefore).toBe(2);
    expect(Object.keys(event!).sort()).toEqual([...BASE_KEYS, 'runId', 'filesCopied'].sort());
    expect(event).toMatchObject({ type: 'run-recovered', message: expect.stringContaining('succeeded again') });
  });

  it('assets-vanished: photos deleted at the source, all copies kept', async () => {
    for (const entry of world.manifest.slice(0, 3)) await rm(join(world.source, entry.relPath));
    const [event, ...more] = await run(0);
    expect(more).toEqual([]);
    expect(Object.keys(event!).sort()).toEqual([...BASE_KEYS, 'runId', 'count', 'totalGone'].sort());
    expect(event).toMatchObject({ type: 'assets-vanished', count: 3, totalGone: 3 });
    expect(event!.message).toContain('3 photos vanished from the source');
    for (const drive of world.drives) expect(existsSync(drive.path)).toBe(true);
  });

  it('removes the webhook URL from the keychain with `--notify-webhook off`', async () => {
    // Read through the same secrets store the CLI uses (the keychain, or the vault outside scripts/test.sh).
    const secrets = secretStoreFor({ ...process.env, ...env, LIFEBOAT_HOME: world.home });
    const scope = { pluginId: 'notify', kind: 'destination' as const, name: 'main' };
    expect(await secrets.get(scope, 'webhookUrl')).toBe(server.url);
    const off = await cli(['plan', 'set', 'main', '--notify-webhook', 'off']);
    expect(off.code, off.describe()).toBe(0);
    const config = JSON.parse(readFileSync(join(world.home, 'config.json'), 'utf8'));
    expect(config.plans.main.notify).toEqual({ command: hook.command.split(' ') });
    expect(await secrets.get(scope, 'webhookUrl')).toBeUndefined();
  });

  it('refuses a webhook URL that is not http(s), and a URL given on the command line', async () => {
    const bad = await cli(['plan', 'set', 'main', '--notify-webhook', 'on'], 'ftp://x\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must start with http:// or https://');
    const inline = await cli(['plan', 'set', 'main', '--notify-webhook', 'https://example.test/x']);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain('never from the command line');
  });
});
