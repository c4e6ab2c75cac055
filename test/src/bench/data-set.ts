/**
 * The benchmark's photo set: `files` real JPEGs summing to `totalBytes`, sizes spread from minSize to maxSize.
 * Generated once per parameter set and reused, since writing 2 GB takes longer than the backup being measured.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, shuffled, writeJpeg } from '@lifeboat/icloud-sim';

export interface BenchParams {
  files: number;
  totalBytes: number;
  minSize: number;
  maxSize: number;
  seed: number;
}

/** Bump when the generated files change, so stale data sets are regenerated rather than reused. */
const GENERATOR_VERSION = 2;
const TAIL = 0.03; // the largest 3% of files (videos, raw-sized JPEGs) run up to maxSize

/**
 * Deterministic sizes, log-uniform in pieces: 97% of files between minSize and a knee, the top 3% between the knee
 * and maxSize. The knee is solved by bisection so the sizes add up to totalBytes (a plain log-uniform
 * 100 KB-50 MB set would average 8 MB, four times the target).
 */
export function benchSizes(params: BenchParams): number[] {
  const { files, minSize, maxSize } = params;
  const sizesFor = (knee: number) =>
    Array.from({ length: files }, (_, i) => {
      const q = (i + 0.5) / files;
      const size =
        q < 1 - TAIL
          ? minSize * (knee / minSize) ** (q / (1 - TAIL))
          : knee * (maxSize / knee) ** ((q - (1 - TAIL)) / TAIL);
      return Math.round(size);
    });
  const sum = (knee: number) => sizesFor(knee).reduce((a, b) => a + b, 0);
  let [low, high] = [minSize, maxSize]; // sum() grows with the knee
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (sum(mid) < params.totalBytes) low = mid;
    else high = mid;
  }
  return shuffled(sizesFor((low + high) / 2), createRng(params.seed));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

async function generate(dir: string, params: BenchParams): Promise<void> {
  const sizes = benchSizes(params);
  const rng = createRng(params.seed);
  // Dates are drawn up front: the two writers interleave unpredictably, the rng must not.
  const dates = sizes.map(
    (_, i) => `${2015 + (i % 10)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}T12:${pad(i % 60, 2)}:00`,
  );
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < sizes.length; i = next++) {
      const folder = join(dir, 'DCIM', `${100 + Math.floor(i / 100)}CANON`);
      await mkdir(folder, { recursive: true });
      const spec = { id: `bench-${params.seed}/${i}`, seed: i, capturedAt: dates[i]!, size: sizes[i]! };
      await writeJpeg(join(folder, `IMG_${pad(i + 1, 4)}.JPG`), spec, { hash: false });
    }
  };
  await Promise.all([worker(), worker()]);
}

/** Returns the data set's folder, generating it unless a complete one with the same parameters exists. */
export async function ensureDataSet(root: string, params: BenchParams): Promise<{ dir: string; reused: boolean }> {
  const name = `photos-${params.files}-${Math.round(params.totalBytes / 1e6)}MB-${params.seed}`;
  const dir = join(root, name);
  const stamp = join(root, `${name}.json`); // beside the folder, so it is not part of what gets backed up
  const wanted = JSON.stringify({ ...params, generator: GENERATOR_VERSION });
  if (existsSync(dir) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === wanted) {
    return { dir, reused: true };
  }
  // Generate under a temporary name: an interrupted generation is never mistaken for a complete set.
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
  await generate(partial, params);
  await rename(partial, dir);
  await writeFile(stamp, wanted);
  return { dir, reused: false };
}
