/**
 * Done-when 2: after a first backup, 10 photos are added, 3 edited and 5 deleted in iCloud. The second run downloads
 * only the new photos' files and the 3 new edited renders (the simulator's byte counters prove it); the 5 deleted
 * stay on both drives and `status` reports them gone from iCloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../cli.js';
import {
  createIcloudWorld,
  type ExpectedFile,
  expectedFiles,
  type IcloudWorld,
  listedStates,
  readIndex,
  verifyDrive,
} from './icloud-world.js';

describe('a second iCloud run after adds, edits and deletes', () => {
  let world: IcloudWorld;
  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 300, seed: 5 } });
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('downloads only the 10 new photos and the 3 edited renders, and keeps the 5 deleted', async () => {
    const { sim } = world;
    const library = sim.library;
    const first = await world.runOk();
    const before = expectedFiles(library, listedStates(library));
    expect(first.filesCopied).toBe(before.length);

    // Changes in iCloud: explicit, disjoint picks among the generated stills (a count would pick the newest,
    // which may be the added ones).
    const stills = listedStates(library).filter((s) => s.index >= 12 && s.spec.kind !== 'video');
    const edited = [stills[0]!, stills[10]!, stills[20]!].map((s) => s.index);
    const deleted = [stills[5]!, stills[15]!, stills[25]!, stills[35]!, stills[45]!].map((s) => s.index);
    const added = library.add(10);
    library.edit({ indexes: edited });
    library.delete({ indexes: deleted });
    sim.counters.reset();

    const second = await world.runOk();
    expect(second.failures).toEqual([]);
    expect(second.goneFromSource).toBe(5);

    const newFiles = expectedFiles(
      library,
      added.map((i) => library.state(i)),
    );
    const renders = expectedFiles(
      library,
      edited.map((i) => library.state(i)),
    ).filter((f) => f.kind === 'edited');
    expect(renders).toHaveLength(3);
    expect(second.filesCopied).toBe(newFiles.length + 3);
    for (const d of second.destinations) expect(d.filesCopied, d.name).toBe(newFiles.length + 3);

    // The byte counters: exactly these files' bytes, once each (both drives are fed from one download).
    const served = sim.counters.snapshot().bytes;
    const expectedBytes: Record<string, Record<string, number>> = {};
    for (const f of [...newFiles, ...renders]) {
      expectedBytes[f.cplAsset] = { ...expectedBytes[f.cplAsset], [f.field]: f.size };
    }
    expect(served).toEqual(expectedBytes);
    expect(sim.counters.totalBytes).toBe([...newFiles, ...renders].reduce((n, f) => n + f.size, 0));
    // Incremental listing: changes/zone, not a walk of the library.
    expect(sim.counters.requests('ck private changes/zone')).toBeGreaterThanOrEqual(1);
    expect(sim.counters.requests('ck private records/query')).toBeLessThanOrEqual(2);

    // Both drives: everything listed now is there byte for byte, and the deleted photos' files are kept.
    const now = expectedFiles(library, listedStates(library));
    const deletedIds = new Set(deleted.map((i) => library.state(i).spec.masterId));
    const deletedFiles: ExpectedFile[] = before.filter((f) => deletedIds.has(f.assetId));
    expect(deletedFiles.length).toBeGreaterThanOrEqual(5);
    for (const drive of world.drives) {
      const { problems } = await verifyDrive(drive.path, [...now, ...deletedFiles]);
      expect(problems, drive.name).toEqual([]);
      const index = await readIndex(drive.path);
      for (const f of deletedFiles) {
        const entry = index.find((e) => e.assetId === f.assetId && e.kind === f.kind);
        expect(entry, `${drive.name}: ${f.fileName}`).toBeDefined();
        expect(await sha256File(`${drive.path}/${entry!.key}`)).toBe(f.sha256);
      }
    }

    const status = await world.cli(['status', '--json']);
    expect(status.code, status.describe()).toBe(0);
    const gone = status.json<{ goneFromSource: { count: number; assets: Array<Record<string, unknown>> } }>()
      .goneFromSource;
    expect(gone.count).toBe(5);
    expect(gone.assets.map((a) => a.assetId).sort()).toEqual([...deletedIds].sort());
    expect(new Set(gone.assets.map((a) => a.source))).toEqual(new Set([world.source]));
    // Deleted photos wait in Recently Deleted: reported as such, with the date Apple erases them.
    expect(gone.assets.every((a) => a.inSourceTrash === true && /^\d{4}-/.test(String(a.purgeAt)))).toBe(true);
    const text = await world.cli(['status']);
    expect(text.stdout).toContain('in Recently Deleted at the source until');

    // Apple empties Recently Deleted: not a second disappearance, and the copies stay.
    library.expunge({ indexes: deleted });
    const third = await world.runOk();
    expect(third.goneFromSource).toBe(0);
    const after = (await world.cli(['status', '--json'])).json<{
      goneFromSource: { count: number; assets: Array<Record<string, unknown>> };
    }>().goneFromSource;
    expect(after.count).toBe(5);
    expect(after.assets.every((a) => a.inSourceTrash === false)).toBe(true);
    for (const drive of world.drives) {
      expect((await verifyDrive(drive.path, deletedFiles)).problems, drive.name).toEqual([]);
    }
  }, 150_000);
});
