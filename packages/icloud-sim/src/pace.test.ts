// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
/** The apple profile over real HTTP, its numbers scaled down so each case takes well under a second or two. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES } from './pace.js';
import { listQuery, SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let c: SimClient;
const control = (path: string, body?: unknown) =>
  fetch(`${sim.controlUrl}/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<any>,
  );
const FAST = {
  cloudkitLatencyMs: 0,
  apiLatencyMs: 0,
  downloadLatencyMs: 0,
  downloadBytesPerSecond: 0,
  maxConcurrentDownloads: 0,
  maxConcurrentCloudkit: 0,
  signinMaxAttempts: 0,
};
const LISTING = 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted';

beforeAll(async () => {
  sim = await startSimulator({ assets: 40, profile: 'apple', pace: FAST });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());
afterEach(async () => {
  Object.assign(sim.pace, FAST);
  await control('profile/forgive', {});
});

/** Resources of the first listing page, smallest first. */
async function resources(): Promise<{ downloadURL: string; size: number }[]> {
  const page = await c.ck('private', 'records/query', listQuery(LISTING, 0));
  return (page.json.records as any[])
    .filter((r) => r.recordType === 'CPLMaster')
    .map((r) => r.fields.resOriginalRes.value)
    .sort((a, b) => a.size - b.size);
}

describe('apple profile', () => {
  it('starts with the profile numbers and reports them in /control/state', async () => {
    const state = await control('state');
    expect(sim.profile).toBe('apple');
    expect(state.profile).toEqual({ ...PROFILES.apple, ...FAST });
  });

  it('waits cloudkitLatencyMs before a listing page and apiLatencyMs before the rest', async () => {
    Object.assign(sim.pace, { cloudkitLatencyMs: 400, apiLatencyMs: 0 });
    let start = performance.now();
    expect((await c.ck('private', 'records/query', listQuery(LISTING, 0))).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(390);
    start = performance.now();
    await c.ck('private', 'zones/list', {}, false);
    const light = performance.now() - start;
    sim.pace.apiLatencyMs = 250;
    start = performance.now();
    await c.ck('private', 'zones/list', {}, false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(Math.max(240, light));
  });

  it('delays the first byte of a download and streams it at downloadBytesPerSecond', async () => {
    const big = (await resources()).at(-1)!;
    const rate = Math.round(big.size * 2); // half a second of body, in slices of 50 ms
    Object.assign(sim.pace, { downloadLatencyMs: 200, downloadBytesPerSecond: rate });
    const start = performance.now();
    const response = await fetch(big.downloadURL);
    const firstByte = performance.now() - start;
    expect(firstByte).toBeGreaterThanOrEqual(190);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(big.size);
    expect(performance.now() - start - firstByte).toBeGreaterThanOrEqual(400);
  });

  it('answers 503 + Retry-After above maxConcurrentDownloads and counts a client that ignores it', async () => {
    const [a, b] = await resources();
    Object.assign(sim.pace, {
      maxConcurrentDownloads: 2,
      downloadBytesPerSecond: 2000, // slow enough that both stay in flight
      retryAfterSeconds: 1,
      penaltySeconds: 2,
      retryAfterGraceMs: 20,
    });
    const before = sim.counters.retryAfterViolations;
    // The server frees a slot when its socket is done, a moment after the client has the last byte of an earlier test's download.
    while ((await control('state')).inFlight.download > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const held = [await fetch(a!.downloadURL), await fetch(b!.downloadURL)];
    expect(held.map((r) => r.status)).toEqual([200, 200]);
    const refused = await fetch(a!.downloadURL);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(await refused.text()).toBe('Service Temporary Unavailable');
    for (const response of held) await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Slots are free again, but the client was told to wait a second: sending now is a violation.
    const early = await fetch(a!.downloadURL);
    expect(early.status).toBe(503);
    expect(early.headers.get('Retry-After')).toBe('2');
    await early.text();
    expect(sim.counters.retryAfterViolations).toBe(before + 1);
    expect((await control('counters')).retryAfterViolations).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    sim.pace.downloadBytesPerSecond = 0;
    const later = await fetch(a!.downloadURL);
    expect(later.status).toBe(200);
    await later.arrayBuffer();
    expect(sim.counters.retryAfterViolations).toBe(before + 1);
  });

  it('frees a slot as the last bytes go out: a client that keeps exactly the limit busy never gets 503', async () => {
    const urls = (await resources()).map((r) => r.downloadURL);
    Object.assign(sim.pace, { maxConcurrentDownloads: 3, downloadBytesPerSecond: 400_000, maxConcurrentCloudkit: 1 });
    const statuses: number[] = [];
    const worker = async (offset: number) => {
      for (let i = 0; i < 8; i++) {
        const response = await fetch(urls[(offset + i * 3) % urls.length]!);
        statuses.push(response.status);
        await response.arrayBuffer();
      }
    };
    await Promise.all([worker(0), worker(1), worker(2)]);
    const listing = async () => (await c.ck('private', 'records/query', listQuery(LISTING, 0))).status;
    for (let i = 0; i < 5; i++) statuses.push(await listing());
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(sim.counters.snapshot().peakInFlight.download).toBe(3);
  });

  it('answers CloudKit calls above maxConcurrentCloudkit with CloudKit 503 TRY_AGAIN_LATER + Retry-After', async () => {
    Object.assign(sim.pace, { maxConcurrentCloudkit: 1, cloudkitLatencyMs: 1500, retryAfterSeconds: 3 });
    const slow = c.ck('private', 'records/query', listQuery(LISTING, 0));
    // Sent once the server holds the first one (a fixed delay is outrun on a loaded machine).
    while ((await control('state')).inFlight.cloudkit < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = await c.ck('private', 'zones/list', {}, false);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('3');
    expect(refused.json).toMatchObject({ serverErrorCode: 'TRY_AGAIN_LATER' });
    expect((await slow).status).toBe(200);
    expect(sim.counters.snapshot().paceRefusals.cloudkit).toBeGreaterThanOrEqual(1);
  });

  it('answers signin/init with 503 after a burst, as recorded (text/html, no Retry-After)', async () => {
    Object.assign(sim.pace, { signinMaxAttempts: 2, signinWindowSeconds: 60 });
    const fresh = () => new SimClient(sim.authUrl, sim.setupUrl);
    expect((await fresh().signIn(sim.account.appleId, sim.account.password)).status).toBe(409);
    expect((await fresh().signIn(sim.account.appleId, sim.account.password)).status).toBe(409);
    const refused = await fresh().signIn(sim.account.appleId, sim.account.password);
    expect(refused.status).toBe(503);
    expect(refused.text).toBe('Service Temporary Unavailable');
    expect(refused.headers.get('Content-Type')).toBe('text/html;charset=UTF-8');
    expect(refused.headers.get('Retry-After')).toBeNull();
    await control('profile/forgive', {});
    expect((await fresh().signIn(sim.account.appleId, sim.account.password)).status).toBe(409);
  });

  it('changes numbers live through POST /control/profile and refuses unknown ones', async () => {
    const after = await control('profile', { maxConcurrentDownloads: 6, retryAfterSeconds: 9 });
    expect(after).toMatchObject({ maxConcurrentDownloads: 6, retryAfterSeconds: 9 });
    expect(sim.pace.maxConcurrentDownloads).toBe(6);
    expect((await control('profile')).retryAfterSeconds).toBe(9);
    expect((await control('profile', { maxConcurrent: 1 })).error).toMatch(/unknown profile setting/);
    expect((await control('profile', { penaltySeconds: -5 })).error).toMatch(/at least 0/);
  });

  it('keeps the instant profile free of waits and limits by default', async () => {
    const instant = await startSimulator({ assets: 2 });
    try {
      expect(instant.profile).toBe('instant');
      expect(instant.pace).toEqual(PROFILES.instant);
    } finally {
      await instant.stop();
    }
  });
});
