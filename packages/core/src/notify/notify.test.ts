import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../engine/index.js';
import { MemorySecretStore } from '../secrets/index.js';
import { runCommandHook } from './command-hook.js';
import { eventsForRun, type NotifyEvent } from './events.js';
import { sendNotification, WEBHOOK_SECRET_KEY, webhookScope } from './send.js';
import { postWebhook } from './webhook.js';

const FAST = { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 };

function summary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    ok: true,
    runId: 7,
    plan: 'family',
    aborted: false,
    filesCopied: 3,
    bytesCopied: 300,
    destinations: [],
    failures: [],
    goneFromSource: 0,
    goneFromSourceTotal: 0,
    listed: 10,
    durationMs: 5,
    evaluation: { ok: true, copies: 2, media: 2, offsite: 1, checks: [] },
    ...over,
  } as RunSummary;
}
const ctx = (previousOk: boolean | undefined) => ({ previousOk, host: 'nas', now: new Date('2026-01-02T03:04:05Z') });

describe('eventsForRun', () => {
  it('says nothing for a clean run after a clean run, or a stopped run', () => {
    expect(eventsForRun(summary(), ctx(true))).toEqual([]);
    expect(
      eventsForRun(summary({ ok: false, aborted: true, failures: [{ code: 'X', message: 'm' }] }), ctx(true)),
    ).toEqual([]);
  });

  it('reports a failed run with its first failures', () => {
    const failures = [{ code: 'LIFEBOAT_DEST_UNAVAILABLE', message: 'drive-a is not mounted', destination: 'drive-a' }];
    const [event] = eventsForRun(summary({ ok: false, failures }), ctx(true));
    expect(event).toEqual({
      version: 1,
      type: 'run-failed',
      plan: 'family',
      at: '2026-01-02T03:04:05.000Z',
      host: 'nas',
      message: 'Backup plan "family" failed: 1 problem; first: drive-a is not mounted',
      runId: 7,
      failureCount: 1,
      failures,
      filesCopied: 3,
    });
  });

  it('reports success after failure, and vanished photos', () => {
    const events = eventsForRun(summary({ goneFromSource: 4, goneFromSourceTotal: 9 }), ctx(false));
    expect(events.map((e) => e.type)).toEqual(['run-recovered', 'assets-vanished']);
    expect(events[1]).toMatchObject({ count: 4, totalGone: 9, message: expect.stringContaining('4 photos vanished') });
  });

  it('turns an expired sign-in into one login-needed event per source, not a run-failed', () => {
    const failures = [
      { code: 'LIFEBOAT_ICLOUD_LOGIN_REQUIRED', message: 'expired', source: 'iphone' },
      { code: 'LIFEBOAT_ICLOUD_LOGIN_REQUIRED', message: 'expired', source: 'iphone' },
    ];
    const events = eventsForRun(summary({ ok: false, failures }), ctx(true));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'login-needed',
        source: 'iphone',
        reason: 'expired',
        command: 'lifeboat login iphone',
      }),
    ]);
  });
});

const event = eventsForRun(summary({ ok: false, failures: [{ code: 'X', message: 'boom' }] }), ctx(true))[0]!;

describe('runCommandHook', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifeboat-hook-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs the program without a shell, the event JSON on stdin', async () => {
    const out = join(dir, 'event.json');
    const script =
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>require("fs").writeFileSync(process.argv[1],s+process.env.LIFEBOAT_EVENT))';
    const outcome = await runCommandHook([process.execPath, '-e', script, out], event);
    expect(outcome).toEqual({ target: 'command', ok: true, detail: `${process.execPath} exited 0` });
    const text = await readFile(out, 'utf8');
    expect(JSON.parse(text.slice(0, text.lastIndexOf('\n')))).toEqual(event);
    expect(text.endsWith('run-failed')).toBe(true);
  });

  it('treats shell syntax in arguments as plain text', async () => {
    const out = join(dir, 'args.json');
    const script = 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))';
    await runCommandHook([process.execPath, '-e', script, out, '$(touch pwned); `id` | cat'], event);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(['$(touch pwned); `id` | cat']);
  });

  it('reports a failing, missing or hanging program', async () => {
    const failing = await runCommandHook([process.execPath, '-e', 'console.error("nope"); process.exit(3)'], event);
    expect(failing).toMatchObject({ ok: false, detail: expect.stringMatching(/exited 3: nope$/) });
    const missing = await runCommandHook([join(dir, 'no-such-program')], event);
    expect(missing).toMatchObject({ ok: false, detail: expect.stringContaining('could not be started') });
    const hanging = await runCommandHook([process.execPath, '-e', 'setTimeout(()=>{}, 60000)'], event, 300);
    expect(hanging).toMatchObject({ ok: false, detail: expect.stringContaining('did not finish within') });
  });
});

describe('postWebhook', () => {
  let server: Server;
  let url: string;
  let received: { body: NotifyEvent; type: string | undefined }[];
  let answers: number[];
  beforeEach(async () => {
    received = [];
    answers = [];
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req
        .on('data', (d) => (body += d))
        .on('end', () => {
          received.push({ body: JSON.parse(body), type: req.headers['content-type'] });
          res.statusCode = answers.shift() ?? 204;
          res.end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/s3cr3t-token`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('POSTs the event as JSON', async () => {
    const outcome = await postWebhook(url, event, { retry: FAST });
    expect(outcome).toMatchObject({ target: 'webhook', ok: true, detail: 'HTTP 204 (attempt 1)' });
    expect(received).toEqual([{ body: event, type: 'application/json' }]);
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    answers = [503, 429];
    const outcome = await postWebhook(url, event, { retry: FAST });
    expect(outcome).toMatchObject({ ok: true, detail: 'HTTP 204 (attempt 3)' });
    expect(received).toHaveLength(3);
  });

  it('does not retry a 4xx, and never names the URL', async () => {
    answers = [404];
    const outcome = await postWebhook(url, event, { retry: FAST });
    expect(outcome.ok).toBe(false);
    expect(received).toHaveLength(1);
    expect(outcome.detail).not.toContain('s3cr3t');
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const down = await postWebhook(`http://127.0.0.1:${port}/hook/s3cr3t-token`, event, { retry: FAST });
    expect(down).toMatchObject({ ok: false, detail: expect.stringContaining('connection failed') });
    expect(down.detail).not.toContain('s3cr3t');
    server = createServer().listen(0); // for afterEach
  });

  it('takes the URL from the secrets store when sending a plan notification', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set(webhookScope('family'), WEBHOOK_SECRET_KEY, url);
    const outcomes = await sendNotification({ webhook: true }, event, { secrets, webhook: { retry: FAST } });
    expect(outcomes).toEqual([expect.objectContaining({ target: 'webhook', ok: true })]);
    const missing = await sendNotification({ webhook: true }, { ...event, plan: 'other' }, { secrets });
    expect(missing).toEqual([
      expect.objectContaining({ ok: false, detail: expect.stringContaining('not in the secrets') }),
    ]);
  });
});
