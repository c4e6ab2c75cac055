// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
/** Our responses against the recorded real ones: same keys and value types where it matters to a parser. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette } from './cassette.js';
import { listQuery, SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let c: SimClient;

const bodies = (file: string, uri: string, has: string) =>
  readCassette(file)
    .filter((i) => i.uri.includes(uri) && i.body.includes(has))
    .map((i) => JSON.parse(i.body) as Record<string, any>);

const keys = (o: object) => Object.keys(o).sort();
const types = (fields: Record<string, { type: string }>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.type]));

beforeAll(async () => {
  sim = await startSimulator({ assets: 300, seed: 11 });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());

describe('shapes match the recorded responses', () => {
  it('accountLogin', async () => {
    const real = bodies('2fa_flow_valid_code.yml', 'accountLogin', 'dsInfo').at(-1)!;
    const ours = (await c.accountLogin()).json as Record<string, any>;
    expect(keys(ours)).toEqual(expect.arrayContaining(keys(real)));
    for (const key of [
      'dsid',
      'hsaVersion',
      'hasICloudQualifyingDevice',
      'appleId',
      'primaryEmail',
      'fullName',
      'countryCode',
      'isWebAccessAllowed',
      'iCDPEnabled',
    ]) {
      expect(typeof ours.dsInfo[key], key).toBe(typeof real.dsInfo[key]);
    }
    expect(keys(ours.webservices.ckdatabasews)).toEqual(keys(real.webservices.ckdatabasews));
    expect(ours.hsaTrustedBrowser).toBe(real.hsaTrustedBrowser);
  });

  it('zones/list', async () => {
    const real = bodies('listing_albums.yml', 'private/zones/list', 'zones')[0]!;
    const ours = (await c.ck('private', 'zones/list', {}, false)).json;
    expect(keys(ours)).toEqual(keys(real));
    expect(keys((ours.zones as any[])[0].zoneID)).toEqual(keys(real.zones[0].zoneID));
  });

  it('records/query listing page (CPLMaster + CPLAsset)', async () => {
    const real = bodies('listing_photos_raw_alt.yml', 'records/query', 'CPLMaster')[0]!;
    const ours = (await c.ck('private', 'records/query', listQuery('CPLAssetAndMasterByAddedDate', 0))).json as Record<
      string,
      any
    >;
    expect(keys(ours)).toEqual(keys(real));
    for (const type of ['CPLMaster', 'CPLAsset']) {
      const r = real.records.find((x: any) => x.recordType === type);
      const o = ours.records.find((x: any) => x.recordType === type);
      expect(keys(o), type).toEqual(keys(r));
      expect(keys(o.zoneID)).toEqual(keys(r.zoneID));
      expect(keys(o.created)).toEqual(keys(r.created));
      // Every field both have carries the same CloudKit type.
      const rt = types(r.fields);
      const ot = types(o.fields);
      for (const key of Object.keys(ot)) if (key in rt) expect(ot[key], `${type}.${key}`).toBe(rt[key]);
    }
    const realMaster = real.records.find((x: any) => x.recordType === 'CPLMaster');
    const ourMaster = ours.records.find((x: any) => x.recordType === 'CPLMaster');
    expect(keys(ourMaster.fields.resOriginalRes.value)).toEqual(keys(realMaster.fields.resOriginalRes.value));
    const raw = ours.records.find((x: any) => x.fields?.resOriginalAltRes);
    expect(raw.fields.resOriginalAltFileType.value).toBe(realMaster.fields.resOriginalAltFileType.value);
    const realAsset = real.records.find((x: any) => x.recordType === 'CPLAsset');
    expect(keys(ours.records.find((x: any) => x.recordType === 'CPLAsset').fields.masterRef.value)).toEqual(
      keys(realAsset.fields.masterRef.value),
    );
  });

  it('Recently Deleted page', async () => {
    const real = bodies('autodelete_photos.yml', 'records/query', 'CPLMaster')[0]!;
    sim.library.delete({ count: 3 });
    const ours = (await c.ck('private', 'records/query', listQuery('CPLAssetAndMasterDeletedByExpungedDate', 0)))
      .json as Record<string, any>;
    expect(keys(ours)).toEqual(keys(real)); // no continuationMarker when it all fits
    for (const type of ['CPLMaster', 'CPLAsset']) {
      const r = real.records.find((x: any) => x.recordType === type).fields;
      const o = ours.records.find((x: any) => x.recordType === type).fields;
      for (const key of ['isDeleted', 'dateExpunged', 'isExpunged'])
        expect(o[key]?.type, `${type}.${key}`).toBe(r[key]?.type);
    }
  });

  it('Recently Deleted records expire 10 days after dateExpunged, on both records, and carry trashReason', async () => {
    const real = bodies('autodelete_photos.yml', 'records/query', 'CPLMaster')[0]!;
    for (const r of real.records) {
      expect(r.expirationTime, r.recordType).toBe(Math.floor(r.fields.dateExpunged.value / 1000) + 10 * 86_400);
    }
    sim.library.delete({ count: 1 });
    const ours = (await c.ck('private', 'records/query', listQuery('CPLAssetAndMasterDeletedByExpungedDate', 0)))
      .json as Record<string, any>;
    expect(ours.records.length).toBeGreaterThan(0);
    for (const o of ours.records) {
      expect(o.expirationTime, o.recordType).toBe(Math.floor(o.fields.dateExpunged.value / 1000) + 10 * 86_400);
    }
    // trashReason as recorded on a CPLAsset (listing_videos.yml), here on every Recently Deleted CPLAsset.
    const recorded = bodies('listing_videos.yml', 'records/query', 'trashReason')
      .flatMap((b) => b.records)
      .find((r: any) => r.fields?.trashReason);
    const asset = ours.records.find((x: any) => x.recordType === 'CPLAsset');
    expect(asset.fields.trashReason.type).toBe(recorded.fields.trashReason.type);
    expect(typeof asset.fields.trashReason.value).toBe(typeof recorded.fields.trashReason.value);
  });

  it('videos carry dataClassType 2 and photos 1; orientation varies as recorded', async () => {
    const real = bodies('listing_videos.yml', 'records/query', 'CPLMaster').flatMap((b) => b.records);
    const realMasters = real.filter((r: any) => r.recordType === 'CPLMaster');
    const dataClass = (masters: any[], type: string) =>
      new Set(masters.filter((m) => m.fields.itemType.value === type).map((m) => m.fields.dataClassType.value));
    expect(dataClass(realMasters, 'com.apple.quicktime-movie')).toEqual(new Set([2]));
    expect(dataClass(realMasters, 'public.jpeg')).toEqual(new Set([1]));
    const realOrientations = new Set(realMasters.map((m: any) => m.fields.originalOrientation.value));
    expect(realOrientations.size).toBeGreaterThan(1);

    const ours: any[] = [];
    for (let rank = 0; rank < 300; rank += 100) {
      const page = await c.ck('private', 'records/query', listQuery('CPLAssetAndMasterByAssetDate', rank));
      ours.push(...(page.json.records as any[]));
    }
    const masters = ours.filter((r) => r.recordType === 'CPLMaster');
    expect(dataClass(masters, 'com.apple.quicktime-movie')).toEqual(new Set([2]));
    expect(dataClass(masters, 'public.jpeg')).toEqual(new Set([1]));
    const orientations = new Set(masters.map((m) => m.fields.originalOrientation.value));
    expect(orientations.size).toBeGreaterThan(1);
    for (const value of orientations) expect([1, 3, 6, 8]).toContain(value);
    // The CPLAsset's orientation matches its master's originalOrientation, as in the recordings.
    const byMaster = new Map(masters.map((m) => [m.recordName, m.fields.originalOrientation.value]));
    for (const asset of ours.filter((r) => r.recordType === 'CPLAsset')) {
      expect(asset.fields.orientation.value).toBe(byMaster.get(asset.fields.masterRef.value.recordName));
    }
  });

  it('validate sets fresh session cookies, as recorded', async () => {
    const real = readCassette('successful_auth.yml').find((i) => i.uri.endsWith('/validate'))!;
    const names = (lines: string[]) => lines.map((line) => line.slice(0, line.indexOf('=')));
    const realNames = names(real.headers['set-cookie'] ?? []).filter((n) => !n.startsWith('X-APPLE-WEBAUTH-PCS-'));
    const before = c.cookies.get('X-APPLE-WEBAUTH-TOKEN');
    const ours = await c.call('POST', `${sim.setupUrl}/validate`, 'null');
    expect(ours.status).toBe(200);
    expect(names(ours.headers.getSetCookie())).toEqual(expect.arrayContaining(realNames));
    expect(c.cookies.get('X-APPLE-WEBAUTH-TOKEN')).not.toBe(before);
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(200);
  });

  it('CPLAlbum records', async () => {
    const real = bodies('listing_albums.yml', 'records/query', 'CPLAlbum')[0]!;
    const ours = (
      await c.ck('private', 'records/query', {
        query: { recordType: 'CPLAlbumByPositionLive' },
        zoneID: { zoneName: 'PrimarySync' },
      })
    ).json as Record<string, any>;
    expect(keys(ours)).toEqual(keys(real));
    expect(ours.records[0].recordName).toBe(real.records[0].recordName);
    const realAlbum = real.records.find((x: any) => x.fields.albumNameEnc);
    const ourAlbum = ours.records.find((x: any) => x.fields.albumNameEnc && !x.fields.parentId);
    expect(types(ourAlbum.fields)).toEqual(types(realAlbum.fields));
  });

  it('count batch and indexing state', async () => {
    const real = bodies('listing_photos_raw_alt.yml', 'query/batch', 'IndexCountResult')[0]!;
    const ours = (
      await c.ck('private', 'internal/records/query/batch', {
        batch: [
          {
            resultsLimit: 1,
            query: {
              filterBy: {
                fieldName: 'indexCountID',
                fieldValue: { type: 'STRING_LIST', value: ['CPLAssetByAddedDate'] },
                comparator: 'IN',
              },
              recordType: 'HyperionIndexCountLookup',
            },
            zoneWide: true,
            zoneID: { zoneName: 'PrimarySync' },
          },
        ],
      })
    ).json as Record<string, any>;
    expect(keys(ours.batch[0])).toEqual(keys(real.batch[0]));
    expect(types(ours.batch[0].records[0].fields)).toEqual(types(real.batch[0].records[0].fields));
    const state = bodies('listing_albums.yml', 'records/query', 'CheckIndexingState')[0]!;
    const ourState = (
      await c.ck('private', 'records/query', {
        query: { recordType: 'CheckIndexingState' },
        zoneID: { zoneName: 'PrimarySync' },
      })
    ).json as Record<string, any>;
    expect(types(ourState.records[0].fields)).toEqual(types(state.records[0].fields));
  });

  it('wrong 2FA code body', async () => {
    const real = bodies('2fa_flow_invalid_code.yml', 'securitycode', 'service_errors')[0]!;
    const fresh = new SimClient(sim.authUrl, sim.setupUrl);
    await fresh.signIn(sim.account.appleId, sim.account.password);
    const ours = await fresh.call('POST', `${sim.authUrl}/verify/trusteddevice/securitycode`, {
      securityCode: { code: '111111' },
    });
    expect(ours.json).toEqual(real);
  });
});
