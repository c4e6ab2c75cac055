/**
 * Issue 8, benchmark 4: the planner on 1,000,000 resources x 3 destinations, in this process, as in a daily run:
 * every destination holds all but the newest 1 %. Two figures, target under 3 s each:
 * - core's pure planBackup over resources shaped like the catalog's (copiedOn lists), always 1,000,000; baseline:
 *   the floor any planner pays, one plain loop asking the same hasCopy questions and summing the bytes;
 * - what `lifeboat run` and `plan show` do: stream the resources out of a real catalog (SQLite, presentResources
 *   with copiedOn) into planBackup, for 1,000,000 x --scale assets (filling the catalog takes ~90 s at 1M);
 *   baseline: the pure planner on the same number of resources in memory.
 */
import { join } from 'node:path';
import { Catalog, type CatalogResource, planBackup } from '@lifeboat/core';
import { makeTempDir, removeDir } from '../e2e/cli.js';
import { type Figure, ratio } from './report.js';

const RESOURCES = 1_000_000;
const TARGET_SECONDS = 3;
const DESTINATIONS = ['drive-a', 'drive-b', 'cloud'];

function resources(): CatalogResource[] {
  const held = DESTINATIONS;
  return Array.from({ length: RESOURCES }, (_, i) => ({
    source: 'icloud',
    assetId: `ASSET-${i.toString(16).padStart(8, '0')}`,
    kind: 'original',
    version: `v${i % 7}`,
    fileName: `IMG_${i % 10_000}.HEIC`,
    size: 1_000_000 + (i % 5_000_000),
    assetFileName: `IMG_${i % 10_000}.HEIC`,
    albums: [],
    favorite: false,
    hidden: false,
    capturedAt: '2024-05-01T12:00:00',
    copiedOn: i < RESOURCES * 0.99 ? held : [],
  }));
}

const seconds = (fn: () => void) => {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
};

/** A catalog of `n` listed assets, one resource each, copied to every destination but the newest 1 %. */
export async function filledCatalog(path: string, n: number): Promise<Catalog> {
  const catalog = Catalog.open(path);
  const now = new Date().toISOString();
  const inventory = catalog.beginInventory('icloud', catalog.startRun('bench', now), now);
  for (let i = 0; i < n; i++) {
    const fileName = `IMG_${i}.HEIC`;
    inventory.add({
      id: `ASSET-${i}`,
      fileName,
      capturedAt: '2024-05-01T12:00:00',
      albums: [],
      favorite: false,
      hidden: false,
      metadata: {},
      resources: [{ kind: 'original', fileName, size: 1_000_000 + i, version: 'v1' }],
    });
  }
  inventory.finish();
  catalog.transaction(() => {
    for (let i = 0; i < n * 0.99; i++) {
      for (const destination of DESTINATIONS) {
        catalog.recordCopy({
          destination,
          source: 'icloud',
          assetId: `ASSET-${i}`,
          kind: 'original',
          version: 'v1',
          key: `2024/05/IMG_${i}.HEIC`,
          size: 1_000_000 + i,
          sha256: 'a'.repeat(64),
          copiedAt: now,
          verifiedAt: now,
        });
      }
    }
  });
  return catalog;
}

export async function plannerBench(scale: number): Promise<Figure[]> {
  console.log(`[planner] ${RESOURCES} resources x ${DESTINATIONS.length} destinations`);
  const all = resources();
  const destinations = DESTINATIONS.map((name, i) => ({
    name,
    description: {
      location: name,
      medium: name,
      mediumKind: i < 2 ? 'disk' : 'cloud',
      offsite: i === 2,
      layout: '{name}',
    },
  })) as Parameters<typeof planBackup>[0]['destinations'];
  const hasCopy = (dest: string, r: CatalogResource) => r.copiedOn?.includes(dest) ?? false;
  let floorWork = 0;
  const floor = seconds(() => {
    let bytes = 0;
    for (const r of all) {
      for (const d of DESTINATIONS) {
        if (!hasCopy(d, r)) {
          bytes += r.size;
          floorWork++;
        }
      }
    }
    if (bytes < 0) throw new Error('unreachable');
  });
  let planned = 0;
  const planner = seconds(() => {
    const plan = planBackup({ resources: all, destinations, hasCopy });
    planned = plan.work.length;
  });
  if (planned !== RESOURCES * 0.01 || floorWork !== planned * DESTINATIONS.length) {
    throw new Error(`the planner planned ${planned} resources, the floor loop ${floorWork} copies`);
  }
  console.log(`  planner ${planner.toFixed(2)} s, floor loop ${floor.toFixed(2)} s`);
  const fromCatalog = await catalogPlan(Math.max(10_000, Math.round(RESOURCES * scale)), destinations, hasCopy);
  return [
    {
      bench: 'planner',
      label: `planBackup, ${RESOURCES} resources x ${DESTINATIONS.length} destinations`,
      value: planner,
      unit: 's',
      baseline: { label: 'plain loop over the same questions', value: floor },
      ratio: ratio(planner, floor),
      ratioMeaning: 'x floor',
      target: { text: `< ${TARGET_SECONDS} s`, met: planner < TARGET_SECONDS },
      details: { resources: RESOURCES, destinations: DESTINATIONS.length, planned },
    },
    fromCatalog,
  ];
}

async function catalogPlan(
  n: number,
  destinations: Parameters<typeof planBackup>[0]['destinations'],
  hasCopy: (dest: string, r: CatalogResource) => boolean,
): Promise<Figure> {
  console.log(`[planner] a catalog of ${n} assets x ${DESTINATIONS.length} destinations (filling it takes a while)`);
  const root = await makeTempDir('lifeboat-bench-planner-');
  const catalog = await filledCatalog(join(root, 'catalog.db'), n);
  try {
    let planned = 0;
    const fromCatalog = seconds(() => {
      const resources = catalog.presentResources(['icloud'], { copiedOn: DESTINATIONS });
      planned = planBackup({ resources, destinations, hasCopy }).work.length;
    });
    const inMemory = [...catalog.presentResources(['icloud'], { copiedOn: DESTINATIONS })];
    const pure = seconds(() => planBackup({ resources: inMemory, destinations, hasCopy }));
    if (planned !== n - Math.ceil(n * 0.99)) throw new Error(`planned ${planned} of ${n} resources`);
    console.log(`  from the catalog ${fromCatalog.toFixed(2)} s, the same resources in memory ${pure.toFixed(2)} s`);
    return {
      bench: 'planner',
      label: `catalog (SQLite) -> planBackup, ${n} assets x ${DESTINATIONS.length} destinations`,
      value: fromCatalog,
      unit: 's',
      baseline: { label: 'planBackup on them in memory', value: pure },
      ratio: ratio(fromCatalog, pure),
      ratioMeaning: 'x in memory',
      target: { text: `< ${TARGET_SECONDS} s`, met: fromCatalog < TARGET_SECONDS },
      details: { assets: n, destinations: DESTINATIONS.length, planned },
    };
  } finally {
    catalog.close();
    await removeDir(root);
  }
}
