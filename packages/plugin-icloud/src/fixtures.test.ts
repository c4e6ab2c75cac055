import { join } from 'node:path';
import { RECORDED_DIR as DIR, type Interaction, readCassette, recordedCassettes } from '@lifeboat/icloud-sim';
import { describe, expect, it } from 'vitest';
import { parseAccount, requires2fa } from './auth/account.js';
import { parseTrustedPhones } from './auth/phones.js';
import { cloudKitError, indexingState, readAppleError } from './errors.js';
import { arrayAt, numberAt, parseJson, stringAt } from './json.js';
import { parseAlbums } from './photos/albums.js';
import { buildAsset } from './photos/assets.js';
import { parseZones } from './photos/cloudkit.js';
import { decodeLocator, type LibraryRef } from './photos/locator.js';
import { type CkRecord, readRecord } from './photos/records.js';
import { pairRecords } from './photos/walk.js';
import { unsafeName } from './test-helpers/context.js';

/**
 * The parser against every response recorded from Apple (packages/icloud-sim/recorded, see its README): each interaction of
 * each cassette is claimed by one of the checks below, and a response nobody checks fails the suite.
 */
const CASSETTES = recordedCassettes();
const PRIMARY: LibraryRef = { library: 'primary', database: 'private', zone: { zoneName: 'PrimarySync' } };

function recordsOf(i: Interaction): CkRecord[] {
  return (arrayAt(parseJson(i.body), 'records') ?? []).map((r) => {
    const record = readRecord(r);
    if (!record) throw new Error(`unreadable record in ${i.uri}`);
    return record;
  });
}

const path = (i: Interaction) => new URL(i.uri).pathname;

describe('recorded Apple responses', () => {
  it('finds the cassettes', () => {
    expect(CASSETTES.length).toBeGreaterThanOrEqual(11);
  });

  for (const file of CASSETTES) {
    it(`understands every response of ${file}`, () => {
      const interactions = readCassette(join(DIR, file));
      expect(interactions.length).toBeGreaterThan(0);
      for (const [n, i] of interactions.entries()) {
        const where = `${file} #${n} ${i.method} ${path(i)} ${i.status}`;
        const p = path(i);
        const json = parseJson(i.body);
        if (i.status === 503) {
          expect(json, where).toBeUndefined();
          expect(cloudKitError(503, json)?.name, where).toBe('TransientError');
        } else if (p.endsWith('/signin/init')) {
          expect(numberAt(json, 'iteration'), where).toBeGreaterThan(0);
          expect(['s2k', 's2k_fo'], where).toContain(stringAt(json, 'protocol'));
          expect(i.headers.scnt?.[0], where).toBeTruthy();
        } else if (p.endsWith('/signin/complete')) {
          if (i.status === 401) expect(readAppleError(json).code, where).toBe('-20101');
          else expect([200, 409, 412], where).toContain(i.status);
          if (i.status === 412) expect(json, where).toEqual({ auth_type: 'sa' });
        } else if (p.endsWith('/appleauth/auth/signin')) {
          // Recorded, never made by Lifeboat (docs/icloud-protocol.md §Raw password sign-in).
          expect(i.status, where).toBe(200);
        } else if (p.endsWith('/repair/complete') || p.endsWith('/2sv/trust')) {
          expect(i.status >= 200 && i.status < 300, where).toBe(true);
          if (p.endsWith('/2sv/trust')) expect(i.headers['x-apple-twosv-trust-token']?.[0], where).toBeTruthy();
        } else if (p.endsWith('/appleauth/auth')) {
          expect(parseTrustedPhones(i.body), where).toEqual([{ id: 1, label: '+1 (•••) •••-••81' }]);
        } else if (p.endsWith('/securitycode')) {
          if (i.status === 400) expect(readAppleError(json).code, where).toBe('-21669');
          else expect(i.status, where).toBe(204);
        } else if (p.endsWith('/accountLogin') || p.endsWith('/validate')) {
          const account = parseAccount(json);
          expect(account.dsid, where).toBe('12345678901');
          expect(account.ckdatabasewsUrl, where).toBe('https://p61-ckdatabasews.icloud.com:443');
        } else if (p.endsWith('/zones/list')) {
          const db = p.includes('/shared/') ? 'shared' : 'private';
          const zones = parseZones(json ?? null, db);
          expect(zones.length, where).toBe(1);
          expect(zones[0]!.zone.zoneName, where).toMatch(db === 'private' ? /^PrimarySync$/ : /^SharedSync-/);
        } else if (p.endsWith('/records/query/batch')) {
          expect(JSON.stringify(json), where).toContain('itemCount');
        } else if (p.endsWith('/records/modify')) {
          expect(json, where).toBeDefined();
        } else if (p.endsWith('/records/query')) {
          checkQuery(i, where);
        } else if (i.method === 'GET' && new URL(i.uri).hostname === 'cvws.icloud-content.com') {
          expect(i.body.length, where).toBeGreaterThan(0);
        } else {
          throw new Error(`no check claims ${where}`);
        }
      }
    });
  }
});

function checkQuery(i: Interaction, where: string) {
  const request = parseJson(i.requestBody ?? '') as { query?: { recordType?: string } } | undefined;
  const type = request?.query?.recordType;
  const records = recordsOf(i);
  if (type === 'CheckIndexingState') {
    expect(indexingState(parseJson(i.body)).state, where).toBe('FINISHED');
  } else if (type === 'CPLAlbumByPositionLive') {
    const albums = parseAlbums(records);
    expect(records.length, where).toBe(17);
    expect(albums.length, where).toBeGreaterThan(0);
    expect(albums.length, where).toBeLessThan(17); // the root folder is not an album
    for (const a of albums) expect(a.name === '' || unsafeName(a.name.replaceAll('/', '_')), where).toBe(false);
  } else {
    const { pairs, unpaired, masters } = pairRecords(records);
    if (records.length === 0) return expect(masters, where).toBe(0);
    expect(masters, where).toBeGreaterThan(0);
    expect(unpaired, where).toEqual([]);
    for (const { master, asset } of pairs) {
      const built = buildAsset(master, asset, PRIMARY, []);
      expect(built, `${where} ${master.recordName}`).toBeDefined();
      const a = built!;
      expect(a.id).toBe(master.recordName);
      expect(unsafeName(a.fileName)).toBe(false);
      expect(a.capturedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$/);
      expect(a.addedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const original = a.resources.find((r) => r.kind === 'original');
      expect(original?.size).toBe(master.original?.size);
      for (const r of a.resources) {
        expect(r.version).toMatch(/^ck:./);
        expect(Number.isSafeInteger(r.size) && r.size >= 0).toBe(true);
        const locator = decodeLocator(r.locator);
        expect(locator?.recordName, `${where} locator`).toBeTruthy();
        expect(r.locator).not.toContain('downloadURL');
        expect(r.locator).not.toContain('https://');
      }
      if (type === 'CPLAssetAndMasterDeletedByExpungedDate') {
        expect(a.metadata.recentlyDeleted, where).toBe(true);
        expect(a.metadata.dateExpunged, where).toMatch(/^20\d\d-/);
      }
    }
  }
}

describe('record shapes in the recordings', () => {
  const listing = (file: string, match: (i: Interaction) => boolean) =>
    readCassette(join(DIR, file))
      .filter((i) => path(i).endsWith('/records/query') && match(i))
      .flatMap((i) => pairRecords(recordsOf(i)).pairs)
      .map(({ master, asset }) => buildAsset(master, asset, PRIMARY)!);

  it('pairs a RAW original with its JPEG alternate and names the pair alike', () => {
    const assets = listing('listing_photos_raw_alt.yml', (i) => i.body.includes('CPLMaster'));
    const pair = assets.find((a) => a.resources.some((r) => r.kind === 'raw'))!;
    expect(pair.fileName).toBe('IMG_7409.CR2');
    const raw = pair.resources.find((r) => r.kind === 'raw')!;
    expect(raw.fileName).toBe('IMG_7409.JPG');
    expect(raw.mediaType).toBe('image/jpeg');
    expect(pair.metadata.rawPair).toBe(true);
    // The capture instant 2018-07-31T07:22:24Z in UTC+7 (timeZoneOffset 25200).
    expect(pair.capturedAt).toBe('2018-07-31T14:22:24+07:00');
  });

  it('gives Live Photos their video companion with a matching name', () => {
    const assets = listing('listing_photos_raw_alt.yml', (i) => i.body.includes('CPLMaster'));
    const live = assets.filter((a) => a.resources.some((r) => r.kind === 'live-video'));
    expect(live.length).toBeGreaterThan(0);
    for (const a of live) {
      const video = a.resources.find((r) => r.kind === 'live-video')!;
      expect(video.fileName.replace(/\.[^.]+$/, '')).toBe(a.fileName.replace(/\.[^.]+$/, ''));
      expect(video.fileName).toMatch(/\.MOV$/);
    }
  });

  it('reads videos as videos', () => {
    const assets = listing('listing_videos.yml', (i) => i.body.includes('CPLMaster'));
    expect(assets.some((a) => a.metadata.mediaKind === 'video' && /\.MOV$/i.test(a.fileName))).toBe(true);
  });

  it('reads Recently Deleted with its expunge date', () => {
    const assets = listing('autodelete_photos.yml', (i) => i.body.includes('CPLMaster'));
    expect(assets.length).toBe(16);
    expect(assets.every((a) => a.metadata.recentlyDeleted === true)).toBe(true);
  });

  it('accepts the 2FA decisions Apple recorded', () => {
    const flow = readCassette(join(DIR, '2fa_flow_valid_code.yml')).filter((i) => path(i).endsWith('/accountLogin'));
    expect(flow.map((i) => requires2fa(parseAccount(parseJson(i.body))))).toEqual([true, false]);
    const non2fa = readCassette(join(DIR, 'auth_non_2fa.yml')).find((i) => path(i).endsWith('/accountLogin'))!;
    expect(requires2fa(parseAccount(parseJson(non2fa.body)))).toBe(false);
  });
});
