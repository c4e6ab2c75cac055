/**
 * Issue 19: the offload dry run's catalog pass at 100,000 assets (x --scale, at least 10,000) x 3 destinations:
 * stream every candidate (asset, resources, copies) out of a real catalog into core's planOffload. Baseline: the
 * planner's own stream of the same catalog (presentResources with copiedOn), the pass every run already pays.
 * Target under 3 s, as for the planner.
 */
import { join } from 'node:path';
import { type Catalog, planOffload } from '@lifeboat/core';
import { makeTempDir, removeDir } from '../e2e/cli.js';
import { filledCatalog } from './planner-bench.js';
import type { Figure } from './report.js';
import { ratio } from './report.js';

const ASSETS = 100_000;
const TARGET_SECONDS = 3;
const DESTINATIONS = ['drive-a', 'drive-b', 'cloud'];

const seconds = (fn: () => void) => {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
};

export async function offloadBench(scale: number): Promise<Figure[]> {
  const n = Math.max(10_000, Math.round(ASSETS * scale));
  console.log(`[offload] a catalog of ${n} assets x ${DESTINATIONS.length} destinations`);
  const root = await makeTempDir('lifeboat-bench-offload-');
  const catalog: Catalog = await filledCatalog(join(root, 'catalog.db'), n);
  try {
    const destinations = DESTINATIONS.map((name, i) => ({
      name,
      description: { medium: i === 2 ? 'cloud' : name, offsite: i === 2 },
      reachable: true,
    }));
    const rule = { now: new Date(), keepFavorites: false, keepAlbums: [], verifiedWithinMs: 86_400_000, minCopies: 3 };
    let moved = 0;
    const offload = seconds(() => {
      moved = planOffload(catalog.offloadCandidates('icloud'), destinations, rule).move.length;
    });
    let streamed = 0;
    const planner = seconds(() => {
      for (const _ of catalog.presentResources(['icloud'], { copiedOn: DESTINATIONS })) streamed++;
    });
    // filledCatalog copies all but the newest 1 % to every destination, each verified now.
    if (moved !== Math.ceil(n * 0.99) || streamed !== n)
      throw new Error(`moved ${moved}, streamed ${streamed} of ${n}`);
    console.log(`  offload dry run ${offload.toFixed(2)} s, the planner's stream ${planner.toFixed(2)} s`);
    return [
      {
        bench: 'offload',
        label: `catalog -> planOffload, ${n} assets x ${DESTINATIONS.length} destinations`,
        value: offload,
        unit: 's',
        baseline: { label: "the planner's catalog stream", value: planner },
        ratio: ratio(offload, planner),
        ratioMeaning: 'x planner stream',
        target: { text: `< ${TARGET_SECONDS} s`, met: offload < TARGET_SECONDS },
        details: { assets: n, destinations: DESTINATIONS.length, moved },
      },
    ];
  } finally {
    catalog.close();
    await removeDir(root);
  }
}
