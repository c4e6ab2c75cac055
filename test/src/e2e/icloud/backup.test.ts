/**
 * Done-when 1: a 2,000-asset iCloud library backed up by the built CLI to two disk drives. Every resource of every
 * asset is on both, byte-identical to what the simulator serves; Live Photo and RAW+JPEG pairs keep one stem;
 * hostile names stay inside the drive and are safe on every OS.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifeboat, makeTempDir, removeDir } from '../cli.js';
import {
  createIcloudWorld,
  type ExpectedFile,
  expectedFiles,
  type IcloudWorld,
  type IndexEntry,
  listedStates,
  secretsEnv,
  sourceSettings,
  unsafeSegments,
  verifyDrive,
} from './icloud-world.js';

const ASSETS = 2000;
const stem = (key: string) => join(dirname(key), basename(key, extname(key)));

describe(`backing up a ${ASSETS}-asset iCloud library to two drives with the CLI`, () => {
  let world: IcloudWorld;
  let expected: ExpectedFile[];
  const indexes = new Map<string, IndexEntry[]>();
  const trees = new Map<string, Map<string, string>>();

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: ASSETS, seed: 11 } });
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('`source add icloud` works before the first `lifeboat login`, as the plugin README documents', async () => {
    const home = await makeTempDir('lifeboat-icloud-add-');
    try {
      const result = await lifeboat(['source', 'add', 'icloud', 'fresh', ...sourceSettings(world.sim)], {
        home,
        env: secretsEnv(),
      });
      // A source is added before anyone signs in (login needs the source to exist), so adding one must not need
      // the session that only login creates.
      expect(result.code, result.describe()).toBe(0);
    } finally {
      await removeDir(home);
    }
  });

  it('shows the plan, then copies every resource to both drives in one run', async () => {
    const plan = await world.cli(['plan', 'show', 'main', '--json']);
    expect(plan.code, plan.describe()).toBe(0);
    expected = expectedFiles(world.sim.library, listedStates(world.sim.library));
    expect(plan.json<{ toRead: { files: number } }>().toRead.files).toBe(expected.length);

    const report = await world.runOk();
    expect(report.ok).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.filesCopied).toBe(expected.length);
    for (const d of report.destinations) expect(d.filesCopied, d.name).toBe(expected.length);
    // The library really has the awkward cases this suite is about.
    const kinds = new Set(expected.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['edited', 'live-video', 'original', 'raw']);
  }, 240_000);

  it('every copy on both drives is byte-identical to what the simulator serves', async () => {
    expect(expected, 'the run test must pass first').toBeDefined();
    for (const drive of world.drives) {
      const { problems, index, tree } = await verifyDrive(drive.path, expected);
      expect(problems.slice(0, 20), `${problems.length} problems on ${drive.name}`).toEqual([]);
      // Nothing else: one index entry per file on disk, and no file the index does not know.
      expect(index.length).toBe(expected.length);
      expect([...tree.keys()].sort()).toEqual(index.map((e) => e.key).sort());
      indexes.set(drive.name, index);
      trees.set(drive.name, tree);
    }
  }, 120_000);

  it('Live Photo and RAW+JPEG pairs keep the same name stem, side by side', async () => {
    expect(indexes.size, 'the byte check must pass first').toBe(2);
    for (const [drive, index] of indexes) {
      const byAsset = new Map<string, IndexEntry[]>();
      for (const e of index) byAsset.set(e.assetId, [...(byAsset.get(e.assetId) ?? []), e]);
      let live = 0;
      let raw = 0;
      const mismatched: string[] = [];
      for (const entries of byAsset.values()) {
        const original = entries.find((e) => e.kind === 'original');
        for (const companion of entries.filter((e) => e.kind === 'live-video' || e.kind === 'raw')) {
          if (companion.kind === 'live-video') live++;
          else raw++;
          if (!original || stem(original.key) !== stem(companion.key)) {
            mismatched.push(`${original?.key} / ${companion.key}`);
          }
          expect(extname(companion.key).toLowerCase()).not.toBe(extname(original?.key ?? '').toLowerCase());
        }
      }
      expect(mismatched, drive).toEqual([]);
      expect(live, `${drive}: Live Photos`).toBeGreaterThan(50);
      expect(raw, `${drive}: RAW+JPEG pairs`).toBeGreaterThan(10);
      // The tour's pair: IMG_0002.HEIC + IMG_0002.MOV, IMG_0003.CR2 + IMG_0003.JPG.
      const keys = index.map((e) => e.key);
      for (const name of ['IMG_0002.HEIC', 'IMG_0002.MOV', 'IMG_0003.CR2', 'IMG_0003.JPG']) {
        expect(
          keys.some((k) => basename(k) === name),
          `${drive}: ${name}`,
        ).toBe(true);
      }
    }
  });

  it('hostile names are safe: nothing outside the drive, no NUL, no reserved or dot-dot names', async () => {
    expect(trees.size, 'the byte check must pass first').toBe(2);
    for (const drive of world.drives) {
      const keys = [...trees.get(drive.name)!.keys()];
      const bad = keys.filter(
        (k) => unsafeSegments(k).length > 0 || !resolve(drive.path, k).startsWith(drive.path + sep),
      );
      expect(bad, drive.name).toEqual([]);
      // Recognisable: the tour's ../../x.jpg, CON.jpg and a<NUL>b.jpg are there under safe names.
      const names = keys.map((k) => basename(k));
      expect(
        names.some((n) => n.endsWith('x.jpg') && n !== 'x.jpg'),
        'the ../../x.jpg photo',
      ).toBe(true);
      expect(
        names.some((n) => /CON/.test(n) && !/^CON\./i.test(n)),
        'the CON.jpg photo',
      ).toBe(true);
      expect(
        names.some((n) => /^a.b\.jpg$/.test(n)),
        'the a<NUL>b.jpg photo',
      ).toBe(true);
      expect(existsSync(join(drive.path, '..', 'x.jpg'))).toBe(false);
      expect(existsSync(join(drive.path, '..', '..', 'x.jpg'))).toBe(false);
    }
    // Nothing escaped into the scene's root: only the state folder and the two drives.
    expect((await readdir(world.root)).sort()).toEqual(['drive-a', 'drive-b', 'home']);
  });
});
