// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
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
  sim = await startSimulator({ assets: 30 });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());

const firstUrl = async () => {
  const page = await c.ck(
    'private',
    'records/query',
    listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
  );
  const master = (page.json.records as any[]).find((r) => r.recordType === 'CPLMaster');
  return master.fields.resOriginalRes.value as { downloadURL: string; size: number };
};

describe('faults', () => {
  it('throttles a burst with 503, then recovers', async () => {
    sim.faults.throttle = 2;
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(503);
    expect((await c.ck('private', 'zones/list', {}, false)).text).toBe('Service Temporary Unavailable');
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(200);
  });

  it('expires sessions mid-run (421 after N CloudKit calls)', async () => {
    sim.faults.expireSessionsAfter = 1;
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(200);
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(421);
    expect((await c.signIn(sim.account.appleId, sim.account.password)).status).toBe(200); // trusted
    await c.accountLogin();
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(200);
  });

  it('answers ACCESS_DENIED, indexing RUNNING and domainToUse', async () => {
    sim.faults.accessDenied = true;
    const denied = await c.ck('private', 'records/query', {
      query: { recordType: 'CheckIndexingState' },
      zoneID: { zoneName: 'PrimarySync' },
    });
    expect(denied.json).toMatchObject({
      serverErrorCode: 'ACCESS_DENIED',
      reason: 'private db access disabled for this account',
    });
    sim.faults.accessDenied = false;
    sim.faults.indexingNotFinished = true;
    const state = await c.ck('private', 'records/query', {
      query: { recordType: 'CheckIndexingState' },
      zoneID: { zoneName: 'PrimarySync' },
    });
    expect((state.json.records as any[])[0].fields.state.value).toBe('RUNNING');
    sim.faults.indexingNotFinished = false;
    sim.faults.domainToUse = 'iCloud.com.cn';
    expect((await c.accountLogin()).json).toMatchObject({ domainToUse: 'iCloud.com.cn' });
    sim.faults.domainToUse = null;
  });

  it('truncates download bodies (clean and reset) and expires URLs on demand', async () => {
    const { downloadURL, size } = await firstUrl();
    sim.faults.truncateDownloads = 1;
    const short = Buffer.from(await (await fetch(downloadURL)).arrayBuffer());
    expect(short.length).toBe(Math.floor(size / 2));
    sim.faults.truncateDownloads = 1;
    sim.faults.truncateMode = 'reset';
    await expect(fetch(downloadURL).then((r) => r.arrayBuffer())).rejects.toThrow();
    sim.faults.truncateMode = 'clean';
    sim.faults.expireDownloadUrls = 1;
    expect((await fetch(downloadURL)).status).toBe(410);
    expect((await fetch(downloadURL)).status).toBe(200);
  });

  it('drops a connection after exactly the bytes asked, mid-body (a Wi-Fi drop)', async () => {
    const { downloadURL, size } = await firstUrl();
    Object.assign(sim.faults, { truncateDownloads: 1, truncateMode: 'reset', truncateAfterBytes: 5000 });
    const response = await fetch(downloadURL);
    expect(response.headers.get('content-length')).toBe(String(size));
    const reader = response.body!.getReader();
    let received = 0;
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += value.length;
        }
      })(),
    ).rejects.toThrow();
    expect(received).toBe(5000);
    Object.assign(sim.faults, { truncateMode: 'clean', truncateAfterBytes: null });
  });

  it('slows responses', async () => {
    sim.faults.latencyMs = 150;
    const start = Date.now();
    await c.ck('private', 'zones/list', {}, false);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    sim.faults.latencyMs = 0;
  });
});

describe('control API', () => {
  it('toggles faults, changes the library and reports counters', async () => {
    expect((await control('faults', { throttle: 1, throttleScope: 'cloudkit' })).throttle).toBe(1);
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(503);
    await control('faults/reset', {});
    const state = await control('state');
    expect(state.accounts[0].appleId).toBe(sim.account.appleId);
    const live = state.zones[0].live;
    const added = await control('add', { count: 2 });
    expect(added.assets).toHaveLength(2);
    await control('delete', { ids: [added.assets[0].assetId] });
    await control('edit', { ids: [added.assets[1].assetId] });
    const after = await control('state');
    expect(after.zones[0].live).toBe(live + 1);
    expect(after.zones[0].recentlyDeleted).toBe(1);
    await control('expunge', { ids: [added.assets[0].assetId] });
    expect((await control('state')).zones[0].recentlyDeleted).toBe(0);
    const counters = await control('counters');
    expect(counters.requests['ck private zones/list']).toBeGreaterThan(0);
    expect((await control('faults', { nonsense: 1 })).error).toMatch(/unknown fault/);
  });
});
