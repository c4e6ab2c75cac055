// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
/** The content host: its own host name, no cookies needed, URLs that expire by the server's clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQuery, SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let c: SimClient;
const control = (path: string, body?: unknown) =>
  fetch(`${sim.controlUrl}/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<any>,
  );

beforeAll(async () => {
  sim = await startSimulator({ assets: 20, sessionTtlMs: 10 * 3_600_000 });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());

async function firstUrl(): Promise<string> {
  const page = await c.ck(
    'private',
    'records/query',
    listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
  );
  expect(page.status).toBe(200);
  const master = (page.json.records as any[]).find((r) => r.recordType === 'CPLMaster');
  return master.fields.resOriginalRes.value.downloadURL;
}

describe('content host', () => {
  it('serves downloads from another host than the API, and only there', async () => {
    const url = new URL(await firstUrl());
    const api = new URL(sim.baseUrl);
    expect(`${url.protocol}//${url.host}`).toBe(sim.downloadBaseUrl);
    expect(url.host).not.toBe(api.host);
    if (process.platform === 'linux') expect(url.hostname).toBe('127.0.0.2');
    expect((await fetch(`${sim.baseUrl}${url.pathname}${url.search}`)).status).toBe(404);
    expect((await fetch(`${sim.downloadBaseUrl}/control/state`)).status).toBe(404);
    expect((await fetch(`${sim.downloadBaseUrl}/setup/ws/1/validate`, { method: 'POST' })).status).toBe(404);
  });

  it('needs no cookie, ignores any, and keeps serving after every session has ended', async () => {
    const url = await firstUrl();
    expect(c.cookies.size).toBeGreaterThan(0); // the client has cookies; the download below sends none
    const bare = await fetch(url);
    expect(bare.status).toBe(200);
    const bytes = Buffer.from(await bare.arrayBuffer());
    const junk = await fetch(url, { headers: { Cookie: 'X-APPLE-WEBAUTH-TOKEN="nonsense"' } });
    expect(Buffer.from(await junk.arrayBuffer())).toEqual(bytes);
    sim.endAllSessions();
    const after = await fetch(url);
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer())).toEqual(bytes);
    await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
  });

  it('refuses a URL once the server clock passes its expiry, with 410 Gone; a fresh record gives a working one', async () => {
    const url = await firstUrl();
    const expires = Number(new URL(url).searchParams.get('e')) * 1000;
    expect(expires - Date.now()).toBeGreaterThan(3_500_000); // about an hour
    expect((await control('clock', { advanceMs: 3_600_001 })).now).toBeGreaterThan(expires);
    const gone = await fetch(url);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toBe('Gone');
    const fresh = await firstUrl();
    expect(fresh).not.toBe(url);
    expect((await fetch(fresh)).status).toBe(200);
  });

  it('takes a new URL lifetime live: URLs served afterwards expire by it', async () => {
    await control('profile', { downloadUrlTtlMs: 60_000 });
    const url = await firstUrl();
    expect((await fetch(url)).status).toBe(200);
    sim.advanceClock(60_001);
    expect((await fetch(url)).status).toBe(410);
    sim.pace.downloadUrlTtlMs = 3_600_000;
  });
});
