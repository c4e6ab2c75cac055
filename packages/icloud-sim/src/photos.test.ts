// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Apple's download URLs contain a literal ${f}
// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentBytes } from './content.js';
import { Library } from './library.js';
import { listQuery, SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let c: SimClient;

type Rec = { recordName: string; recordType?: string; deleted?: boolean; fields: Record<string, { value: any }> };

beforeAll(async () => {
  sim = await startSimulator({ assets: 450, seed: 7 });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());

async function walk(
  recordType: string,
  extra: unknown[] = [],
  zone = 'PrimarySync',
  db: 'private' | 'shared' = 'private',
) {
  const assets: Rec[] = [];
  for (let rank = 0; ; ) {
    const page = await c.ck(db, 'records/query', listQuery(recordType, rank, zone, extra));
    expect(page.status).toBe(200);
    const records = page.json.records as Rec[];
    const masters = records.filter((r) => r.recordType === 'CPLMaster');
    if (masters.length === 0) break;
    const byMaster = new Map(
      records.filter((r) => r.recordType === 'CPLAsset').map((r) => [r.fields.masterRef!.value.recordName, r]),
    );
    for (const m of masters) assets.push(byMaster.get(m.recordName)!);
    rank += masters.length;
  }
  return assets;
}

const count = async (id: string) => {
  const reply = await c.ck('private', 'internal/records/query/batch', {
    batch: [
      {
        resultsLimit: 1,
        query: {
          filterBy: { fieldName: 'indexCountID', fieldValue: { type: 'STRING_LIST', value: [id] }, comparator: 'IN' },
          recordType: 'HyperionIndexCountLookup',
        },
        zoneWide: true,
        zoneID: { zoneName: 'PrimarySync' },
      },
    ],
  });
  return (reply.json.batch as { records: Rec[] }[])[0]!.records[0]!.fields.itemCount!.value as number;
};

describe('photos', () => {
  it('reports indexing finished and lists the private and shared zones', async () => {
    const state = await c.ck('private', 'records/query', {
      query: { recordType: 'CheckIndexingState' },
      zoneID: { zoneName: 'PrimarySync' },
    });
    expect((state.json.records as Rec[])[0]!.fields.state!.value).toBe('FINISHED');
    const priv = await c.ck('private', 'zones/list', {}, false);
    expect((priv.json.zones as { zoneID: { zoneName: string } }[]).map((z) => z.zoneID.zoneName)).toEqual([
      'PrimarySync',
    ]);
    const shared = await c.ck('shared', 'zones/list', {}, false);
    expect((shared.json.zones as { zoneID: { zoneName: string } }[])[0]!.zoneID.zoneName).toMatch(/^SharedSync-/);
  });

  it('pages the whole library exactly once, newest first, under both index names', async () => {
    const all = await walk('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted');
    const ids = all.map((a) => a.recordName);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await count('CPLAssetByAssetDateWithoutHiddenOrDeleted'));
    expect(ids.length).toBe(450 - sim.library.ordering('hidden').length);
    const dates = all.map((a) => a.fields.assetDate!.value as number);
    expect(dates).toEqual([...dates].sort((x, y) => y - x));
    const byAdded = await walk('CPLAssetAndMasterByAddedDate');
    expect(new Set(byAdded.map((a) => a.recordName))).toEqual(new Set(ids));
  });

  it('serves smart albums, hidden, user albums and the shared library', async () => {
    const favorites = await walk('CPLAssetAndMasterInSmartAlbumByAssetDate', [
      { fieldName: 'smartAlbum', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: 'FAVORITE' } },
    ]);
    expect(favorites.length).toBe(await count('CPLAssetInSmartAlbumByAssetDate:Favorite'));
    expect(favorites.every((a) => a.fields.isFavorite!.value === 1)).toBe(true);
    const hidden = await walk('CPLAssetAndMasterHiddenByAssetDate');
    expect(hidden.length).toBeGreaterThan(0);
    const albums = await c.ck('private', 'records/query', {
      query: { recordType: 'CPLAlbumByPositionLive' },
      zoneID: { zoneName: 'PrimarySync' },
    });
    const holidays = (albums.json.records as Rec[]).find(
      (r) => r.fields.albumNameEnc && Buffer.from(r.fields.albumNameEnc.value, 'base64').toString() === 'Holidays',
    )!;
    const members = await walk('CPLContainerRelationLiveByAssetDate', [
      { fieldName: 'parentId', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: holidays.recordName } },
    ]);
    expect(members.length).toBeGreaterThan(10);
    expect(members.length).toBe(await count(`CPLContainerRelationNotDeletedByAssetDate:${holidays.recordName}`));
    const shared = await walk(
      'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted',
      [],
      sim.sharedLibrary!.zoneName,
      'shared',
    );
    expect(shared.length).toBeGreaterThan(0);
  });

  it('carries Live Photo, RAW alternate and edited render resources', async () => {
    const page = await c.ck(
      'private',
      'records/query',
      listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
    );
    const records = page.json.records as Rec[];
    const masters = records.filter((r) => r.recordType === 'CPLMaster');
    expect(masters.some((m) => m.fields.resOriginalVidComplRes)).toBe(true);
    expect(
      masters.some((m) => m.fields.resOriginalAltRes && m.fields.itemType!.value === 'com.canon.cr2-raw-image'),
    ).toBe(true);
    expect(records.some((r) => r.recordType === 'CPLAsset' && r.fields.resJPEGFullRes)).toBe(true);
    const names = masters.map((m) => Buffer.from(m.fields.filenameEnc!.value, 'base64').toString('utf8'));
    expect(names).toContain('../../x.jpg');
    expect(names).toContain('a\u0000b.jpg');
    expect(names.filter((n) => n === 'IMG_0001.JPG').length).toBeGreaterThanOrEqual(2);
  });

  it('changes/zone returns only what changed after add, edit and delete', async () => {
    const first = await c.ck('private', 'changes/zone', {
      zones: [{ zoneID: { zoneName: 'PrimarySync' }, resultsLimit: 400 }],
    });
    let zone = (first.json.zones as any[])[0];
    let total = zone.records.length;
    while (zone.moreComing) {
      const more = await c.ck('private', 'changes/zone', {
        zones: [{ zoneID: { zoneName: 'PrimarySync' }, syncToken: zone.syncToken, resultsLimit: 400 }],
      });
      zone = (more.json.zones as any[])[0];
      total += zone.records.length;
    }
    expect(total).toBe(2 * sim.library.size);
    const token = zone.syncToken;
    const noop = await c.ck('private', 'changes/zone', {
      zones: [{ zoneID: { zoneName: 'PrimarySync' }, syncToken: token }],
    });
    expect((noop.json.zones as any[])[0].records).toEqual([]);

    const added = sim.library.add(3);
    const edited = sim.library.edit({ indexes: [20, 21] });
    const deleted = sim.library.delete({ indexes: [30] });
    const expunged = sim.library.expunge({ indexes: deleted });
    const changes = await c.ck('private', 'changes/zone', {
      zones: [{ zoneID: { zoneName: 'PrimarySync' }, syncToken: token }],
    });
    const records = (changes.json.zones as any[])[0].records as Rec[];
    const assets = records.filter((r) => r.recordType === 'CPLAsset').map((r) => r.recordName);
    const expected = [...added, ...edited].map((i) => sim.library.state(i).spec.assetId);
    expect(new Set(assets)).toEqual(new Set(expected));
    expect(records.filter((r) => r.deleted).map((r) => r.recordName)).toContain(
      sim.library.state(expunged[0]!).spec.assetId,
    );
    sim.expireSyncTokens();
    const refused = await c.ck('private', 'changes/zone', {
      zones: [{ zoneID: { zoneName: 'PrimarySync' }, syncToken: token }],
    });
    expect((refused.json.zones as any[])[0].serverErrorCode).toBe('CHANGE_TOKEN_EXPIRED');
  });

  it('moves deleted assets to Recently Deleted with dateExpunged (records/modify soft delete)', async () => {
    const page = await c.ck(
      'private',
      'records/query',
      listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
    );
    const asset = (page.json.records as (Rec & { recordChangeTag: string })[]).find(
      (r) => r.recordType === 'CPLAsset',
    )!;
    const modify = await c.ck('private', 'records/modify', {
      atomic: true,
      desiredKeys: ['isDeleted'],
      operations: [
        {
          operationType: 'update',
          record: {
            fields: { isDeleted: { value: 1 } },
            recordChangeTag: asset.recordChangeTag,
            recordName: asset.recordName,
            recordType: 'CPLAsset',
          },
        },
      ],
      zoneID: { zoneName: 'PrimarySync' },
    });
    expect((modify.json.records as Rec[])[0]!.fields.isDeleted!.value).toBe(1);
    const deleted = await walk('CPLAssetAndMasterDeletedByExpungedDate');
    const found = deleted.find((a) => a.recordName === asset.recordName)!;
    expect(found.fields.isDeleted!.value).toBe(1);
    expect(found.fields.dateExpunged!.value).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });
});

describe('downloads', () => {
  it('serves the declared bytes with Range support and counts them per asset', async () => {
    const page = await c.ck(
      'private',
      'records/query',
      listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
    );
    const master = (page.json.records as Rec[]).find(
      (r) => r.recordType === 'CPLMaster' && r.fields.itemType!.value === 'public.jpeg',
    )!;
    const res = master.fields.resOriginalRes!.value as { downloadURL: string; size: number };
    expect(res.downloadURL).toContain('${f}');
    const url = res.downloadURL.replace('${f}', '$%7Bf%7D');
    sim.counters.reset();
    const full = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(full.length).toBe(res.size);
    expect(full.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // a real JPEG head
    const part = await fetch(url, { headers: { Range: 'bytes=1000-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 1000-${res.size - 1}/${res.size}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(full.subarray(1000));
    const index = sim.library.find(master.recordName)!;
    const asset = sim.library.state(index).spec.assetId;
    expect(sim.counters.bytesFor(asset, 'resOriginalRes')).toBe(res.size + (res.size - 1000));
    expect(sim.counters.assetsServed()).toEqual([asset]);
    expect(full).toEqual(contentBytes(sim.library.content(sim.library.state(index), 'resOriginalRes')!));
  });

  it('refuses expired and forged URLs', async () => {
    const short = await startSimulator({ assets: 2, downloadUrlTtlMs: -1000 });
    const sc = new SimClient(short.authUrl, short.setupUrl);
    await sc.signInWithCode(short.account.appleId, short.account.password, short.account.code);
    const page = await sc.ck(
      'private',
      'records/query',
      listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
    );
    const url = ((page.json.records as Rec[])[0]!.fields.resOriginalRes!.value as { downloadURL: string }).downloadURL;
    expect((await fetch(url)).status).toBe(410);
    expect((await fetch(url.replace(/s=[^&]+/, 's=forged'))).status).toBe(403);
    await short.stop();
  });
});

describe('generated library', () => {
  it('constructs 100,000 assets lazily and stays deterministic', () => {
    const make = () =>
      new Library({ seed: 3, zoneName: 'PrimarySync', ownerRecordName: '_o', count: 100_000, now: Date.now });
    const a = make();
    expect(a.size).toBe(100_000);
    expect(a.state(99_999).spec).toEqual(make().state(99_999).spec);
    expect(a.state(12_345).spec.filename).toMatch(/\S/);
  });

  it('renders some edits of HEIC photos as HEIC, and edits of JPEG photos as JPEG', () => {
    const library = new Library({ seed: 5, zoneName: 'PrimarySync', ownerRecordName: '_o', count: 600, now: Date.now });
    const edits = [];
    for (let i = 0; i < library.size; i++) {
      const state = library.state(i);
      if (state.edit) edits.push({ state, original: state.spec.resources[0]!.fileType, edit: state.edit.fileType });
    }
    const heicEdits = edits.filter((e) => e.edit === 'public.heic');
    expect(heicEdits.length).toBeGreaterThan(0);
    for (const e of heicEdits) expect(e.original).toBe('public.heic');
    expect(edits.filter((e) => e.original === 'public.heic' && e.edit === 'public.jpeg').length).toBeGreaterThan(0);
    for (const e of edits.filter((x) => x.original === 'public.jpeg')) expect(e.edit).toBe('public.jpeg');
    const bytes = contentBytes(library.content(heicEdits[0]!.state, 'resJPEGFullRes')!);
    expect(bytes.subarray(4, 12).toString('latin1')).toBe('ftypheic');
  });
});
