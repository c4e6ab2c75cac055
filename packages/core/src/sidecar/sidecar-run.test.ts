import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WriteOptions } from '@lifeboat/plugin-api';
import { MemoryDestination, MemorySource } from '@lifeboat/plugin-api/testing';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { initializeDestination, readIndex } from '../dest-index/index.js';
import { runBackup } from '../engine/run-backup.js';
import { restoreFromDestination } from '../restore/restore.js';
import { repairDestinations } from '../verify/repair.js';
import { verifyDestination } from '../verify/verify-destination.js';
import { withSidecarMode } from './setting.js';

const fast = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
const fields = (xml: Buffer) =>
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML, walked by the paths the test knows
  (parser.parse(xml.toString('utf8')) as Record<string, any>)['x:xmpmeta']['rdf:RDF']['rdf:Description'];
const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scene(mode: 'xmp' | 'none' = 'xmp') {
  const source = new MemorySource();
  source.put('IMG_0001.HEIC', Buffer.alloc(30_000, 1), {
    capturedAt: '2019-05-04T12:30:00',
    timeZone: 'Europe/Paris',
    title: 'Bridge',
    keywords: ['river'],
    location: { latitude: 48.8566, longitude: 2.3522, altitude: 35 },
    albums: ['Rome'],
    albumFolders: { Rome: 'Trips/2019' },
  });
  source.put('IMG_0002.JPG', Buffer.alloc(20_000, 2), { capturedAt: '2020-01-02T03:04:05-08:00' });
  const dest = new MemoryDestination({ medium: 'a' });
  await initializeDestination(dest, 'a', '2024-01-01T00:00:00.000Z');
  // Every write, by key: proves which objects a run wrote.
  const writes: { key: string; options: WriteOptions }[] = [];
  const write = dest.write.bind(dest);
  dest.write = (key, body, options) => {
    if (!key.startsWith('.lifeboat/')) writes.push({ key, options });
    return write(key, body, options);
  };
  const catalog = Catalog.open(':memory:');
  const destination = withSidecarMode(dest, mode);
  const run = () =>
    runBackup({
      plan: 'p',
      catalog,
      sources: [{ name: 'src', source }],
      destinations: [{ name: 'a', destination }],
      retry: fast,
    });
  return { source, dest, destination, catalog, writes, run };
}

describe('sidecars in a backup run', () => {
  it('writes a sidecar beside each copy, lists it in the index, and dates each copy by its capture', async () => {
    const { dest, catalog, run } = await scene();
    expect((await run()).ok).toBe(true);
    const heic = '2019/05/IMG_0001.HEIC';
    const f = fields(dest.objects.get(`${heic}.xmp`)!.data);
    expect(f['exif:DateTimeOriginal']).toBe('2019-05-04T12:30:00+02:00');
    expect(f['dc:title']['rdf:Alt']['rdf:li']['#text']).toBe('Bridge');
    expect(f['lr:hierarchicalSubject']['rdf:Bag']['rdf:li']).toBe('Albums|Trips|2019|Rome');
    expect(f['exif:GPSLatitude']).toBe('48,51.396000N');
    // File times: the capture instant, with the zone's offset or the date's own.
    expect(dest.objects.get(heic)!.modifiedAt).toBe('2019-05-04T10:30:00.000Z');
    expect(dest.objects.get('2020/01/IMG_0002.JPG')!.modifiedAt).toBe('2020-01-02T11:04:05.000Z');
    const index = await readIndex(dest);
    for (const e of index) {
      expect(e.sidecar?.key).toBe(`${e.key}.xmp`);
      expect(e.sidecar?.size).toBe(dest.objects.get(`${e.key}.xmp`)!.data.length);
    }
    // Never a photo: the counts behind status and the 3-2-1 figures hold the two copies only.
    expect(catalog.copyCounts()).toEqual([{ destination: 'a', assets: 2, copies: 2, bytes: 50_000 }]);
    // Offload's rule counts copies from the same records: no sidecar vouches for a photo.
    const vouchers = [...catalog.offloadCandidates('src')].flatMap((c) => c.copies.map((v) => v.key));
    expect(vouchers.sort()).toEqual(['2019/05/IMG_0001.HEIC', '2020/01/IMG_0002.JPG']);
  });

  it('rewrites only the sidecar when only the metadata changed at the source', async () => {
    const { source, dest, writes, run } = await scene();
    await run();
    writes.length = 0;
    const asset = source.files.get('IMG_0002.JPG')!.asset;
    asset.favorite = true;
    asset.caption = 'Snow & <ice>';
    const summary = await run();
    expect(summary.filesCopied).toBe(0);
    expect(writes.map((w) => w.key)).toEqual(['2020/01/IMG_0002.JPG.xmp']);
    const f = fields(dest.objects.get('2020/01/IMG_0002.JPG.xmp')!.data);
    expect(f['xmp:Rating']).toBe('5');
    expect(f['dc:description']['rdf:Alt']['rdf:li']['#text']).toBe('Snow & <ice>');
    const entry = (await readIndex(dest)).find((e) => e.key === '2020/01/IMG_0002.JPG')!;
    expect(entry.favorite).toBe(true);
    expect(entry.sidecar?.size).toBe(dest.objects.get('2020/01/IMG_0002.JPG.xmp')!.data.length);
    // Nothing changed: nothing written.
    writes.length = 0;
    await run();
    expect(writes).toEqual([]);
  });

  it('a new machine adopting the destination writes neither the copies nor their sidecars again', async () => {
    const { source, destination, writes, run } = await scene();
    await run();
    writes.length = 0;
    const fresh = Catalog.open(':memory:');
    const again = await runBackup({
      plan: 'p',
      catalog: fresh,
      sources: [{ name: 'src', source }],
      destinations: [{ name: 'a', destination }],
      retry: fast,
    });
    expect(again.ok).toBe(true);
    expect(writes).toEqual([]);
    expect(fresh.dueSidecars('a')).toEqual([]);
  });

  it('writes none with sidecars=none', async () => {
    const { dest, run } = await scene('none');
    expect((await run()).ok).toBe(true);
    expect([...dest.objects.keys()].filter((k) => k.endsWith('.xmp'))).toEqual([]);
  });

  it('verify finds a lost or damaged sidecar, repair writes it anew, and neither counts it as a copy', async () => {
    const { dest, destination, catalog, run } = await scene();
    await run();
    dest.objects.delete('2019/05/IMG_0001.HEIC.xmp');
    const damaged = dest.objects.get('2020/01/IMG_0002.JPG.xmp')!.data;
    damaged[60] = damaged[60]! ^ 1;
    const report = await verifyDestination({ name: 'a', destination, catalog, selection: { all: true } });
    expect(report).toMatchObject({ ok: false, copies: 2, sidecars: 2, checked: 2, healthy: 2 });
    expect(report.problems.map((p) => `${p.kind} ${p.key}`).sort()).toEqual([
      'corrupt 2020/01/IMG_0002.JPG.xmp',
      'missing 2019/05/IMG_0001.HEIC.xmp',
    ]);
    const repair = await repairDestinations({
      targets: [{ name: 'a', destination }],
      donors: [],
      catalog,
      retry: fast,
    });
    expect(repair.ok).toBe(true);
    expect(repair.destinations[0]!.repaired.map((r) => r.key).sort()).toEqual([
      '2019/05/IMG_0001.HEIC.xmp',
      '2020/01/IMG_0002.JPG.xmp',
    ]);
    expect((await verifyDestination({ name: 'a', destination, catalog, selection: { all: true } })).ok).toBe(true);
  });

  it('repair dates a re-created copy by its capture', async () => {
    const { source, dest, destination, catalog, run } = await scene();
    await run();
    dest.objects.delete('2019/05/IMG_0001.HEIC');
    const repair = await repairDestinations({
      targets: [{ name: 'a', destination }],
      donors: [],
      catalog,
      openSource: async () => source,
      retry: fast,
    });
    expect(repair.destinations[0]!.repaired.map((r) => r.key)).toEqual(['2019/05/IMG_0001.HEIC']);
    expect(dest.objects.get('2019/05/IMG_0001.HEIC')!.modifiedAt).toBe('2019-05-04T10:30:00.000Z');
  });

  it('restores each file with its sidecar, the file dated by its capture', async () => {
    const { dest, run } = await scene();
    await run();
    const to = await mkdtemp(join(tmpdir(), 'lifeboat-sidecar-restore-'));
    cleanups.push(to);
    const summary = await restoreFromDestination({ destination: dest, to, filter: {} });
    expect(summary).toMatchObject({ ok: true, filesRestored: 2, sidecarsRestored: 2 });
    expect((await stat(join(to, '2019/05/IMG_0001.HEIC'))).mtime.toISOString()).toBe('2019-05-04T10:30:00.000Z');
    const xmp = await readFile(join(to, '2019/05/IMG_0001.HEIC.xmp'));
    expect(xmp.equals(dest.objects.get('2019/05/IMG_0001.HEIC.xmp')!.data)).toBe(true);
  });
});
