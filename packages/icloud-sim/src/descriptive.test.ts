// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
/** What the simulator says about a photo (caption, keywords, place, zone, albums) against the recorded shapes. */
import { parseBuffer } from 'bplist-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette } from './cassette.js';
import type { AssetSummary } from './library.js';
import { listQuery, SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let c: SimClient;

beforeAll(async () => {
  sim = await startSimulator({ assets: 400, seed: 17 });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());

const plist = (field: { value: string }) => parseBuffer(Buffer.from(field.value, 'base64'))[0];
const text = (field: { value: string }) => Buffer.from(field.value, 'base64').toString('utf8');

async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.controlUrl}/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  expect(res.status, path).toBe(200);
  return res.json();
}

async function allAssetRecords(): Promise<any[]> {
  const out: any[] = [];
  for (let rank = 0; rank < 400; rank += 100) {
    const page = (await c.ck('private', 'records/query', listQuery('CPLAssetAndMasterByAssetDate', rank))).json as any;
    out.push(...page.records.filter((r: any) => r.recordType === 'CPLAsset'));
  }
  return out;
}

describe('descriptive fields of a CPLAsset', () => {
  it('have the recorded types and property-list shapes, on a realistic share of assets, as the summary says', async () => {
    const recorded = readCassette('listing_photos_raw_alt.yml')
      .filter((i) => i.body.includes('locationEnc') && i.body.includes('CPLAsset'))
      .flatMap((i) => (JSON.parse(i.body) as any).records ?? [])
      .find((r: any) => r.fields?.locationEnc);
    const records = await allAssetRecords();
    const summaries: AssetSummary[] = (await control('assets?limit=400')).assets;
    const byId = new Map(summaries.map((s) => [s.assetId, s]));
    expect(records.length).toBeGreaterThan(380); // hidden ones are in another index
    let located = 0;
    let captioned = 0;
    let keyworded = 0;
    let zoned = 0;
    for (const r of records) {
      const s = byId.get(r.recordName)!;
      const f = r.fields;
      if (f.locationEnc) {
        located++;
        expect(f.locationEnc.type).toBe(recorded.fields.locationEnc.type);
        const place = plist(f.locationEnc);
        // The same keys as Apple's property list, and the values the summary reports.
        expect(Object.keys(place).sort()).toEqual(Object.keys(plist(recorded.fields.locationEnc)).sort());
        expect({ latitude: place.lat, longitude: place.lon, altitude: place.alt }).toEqual(s.location);
      } else expect(s.location).toBeUndefined();
      if (f.captionEnc) {
        captioned++;
        expect(text(f.captionEnc)).toBe(s.caption);
      } else expect(s.caption).toBeUndefined();
      if (f.keywordsEnc) {
        keyworded++;
        expect(plist(f.keywordsEnc)).toEqual(s.keywords);
      } else expect(s.keywords).toBeUndefined();
      if (f.timeZoneNameEnc) {
        zoned++;
        expect(text(f.timeZoneNameEnc)).toBe(s.timeZoneName);
      } else expect(s.timeZoneName).toBeUndefined();
    }
    // Recorded: about 85 of 100 photos carry a place; captions, keywords and zone names are rare.
    expect(located / 400).toBeGreaterThan(0.6);
    expect(located / 400).toBeLessThan(0.95);
    for (const rare of [captioned, keyworded, zoned]) {
      expect(rare).toBeGreaterThan(0);
      expect(rare / 400).toBeLessThan(0.2);
    }
  });

  it('change through the control API without changing a file, and album changes reach the change feed', async () => {
    const before = (await control('assets?limit=1')).assets[0] as AssetSummary;
    expect(before.albums).toContain('Family');
    const described = await control('describe', { indexes: [0], caption: 'Changed', keywords: null, favorite: false });
    expect(described.assets[0]).toMatchObject({ caption: 'Changed', isFavorite: false });
    expect(described.assets[0].keywords).toBeUndefined();
    expect(described.assets[0].resources).toEqual(before.resources);
    const state = await control('state');
    // One page holds the whole first walk (limit/2 assets of 2 records each): its token is "now".
    const walk = (
      (await c.ck('private', 'changes/zone', { zones: [{ zoneID: { zoneName: 'PrimarySync' }, resultsLimit: 2000 }] }))
        .json as any
    ).zones[0];
    expect(walk.moreComing).toBe(false);
    const token = walk.syncToken;
    const removed = await control('album-remove', { indexes: [0], album: 'Family' });
    expect(removed.assets[0].albums).not.toContain('Family');
    const delta = (
      (await c.ck('private', 'changes/zone', { zones: [{ zoneID: { zoneName: 'PrimarySync' }, syncToken: token }] }))
        .json as any
    ).zones[0];
    expect(delta.records.map((r: any) => r.recordType).sort()).toEqual([
      'CPLAsset',
      'CPLContainerRelation',
      'CPLMaster',
    ]);
    expect(state.zones[0].seq).toBeGreaterThan(0);
    // An album inside a folder is named by its path.
    expect(removed.assets[0].albums).toContain('Trips/Paris');
    const paris = (await control('album-remove', { indexes: [0], album: 'Trips/Paris' })).assets[0];
    expect(paris.albums).not.toContain('Trips/Paris');
    expect((await control('album-add', { indexes: [0], album: 'Paris' })).assets[0].albums).toContain('Trips/Paris');
  });
});
