import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Asset, AssetResource, ResourceHandle } from '../api/asset.js';
import type { Source } from '../api/source.js';
import { collect, sha256Hex } from './bodies.js';
import { expectBytes } from './destination-expect.js';

/** Every check `runSourceSuite` registers, by test name; pass a name in `options.skip` to leave it out. */
export const SOURCE_CHECKS = [
  'lists exactly the expected number of assets',
  'gives every asset a non-empty, unique id',
  'gives every asset well-formed fields and at least one resource',
  'lists the same ids and versions when listed twice',
  'opens each resource to exactly its declared size',
  'opens a resource at an offset to yield its tail',
] as const;

export type SourceCheck = (typeof SOURCE_CHECKS)[number];

/** Builds a source over a known library (`expected` describes it), and says how to throw it away. */
export type SourceFactory = () => Promise<{
  source: Source;
  expected: { assetCount: number };
  cleanup?: () => Promise<void>;
}>;

export interface SourceSuiteOptions {
  skip?: readonly SourceCheck[];
  /** How many resources the open checks read (default 20): enough to catch mistakes, cheap on a remote library. */
  openLimit?: number;
  /** Per-check and per-hook timeout (default 120 s). */
  timeoutMs?: number;
}

const signal = () => new AbortController().signal;

async function listAssets(source: Source): Promise<Asset[]> {
  const assets: Asset[] = [];
  for await (const asset of source.list({ signal: signal() })) assets.push(asset);
  return assets;
}

function handleOf(asset: Asset, r: AssetResource): ResourceHandle {
  const handle: ResourceHandle = {
    assetId: asset.id,
    kind: r.kind,
    version: r.version,
    fileName: r.fileName,
    size: r.size,
  };
  if (r.locator !== undefined) handle.locator = r.locator;
  return handle;
}

/** The first `limit` resources of a listing, with the handle core would pass back to `open`. */
function firstResources(assets: Asset[], limit: number) {
  return assets.flatMap((a) => a.resources.map((r) => ({ resource: r, handle: handleOf(a, r) }))).slice(0, limit);
}

/**
 * Registers a vitest `describe(name)` block that checks the Source contract against a fresh source per check.
 * Give it a library with a few non-empty files: the open checks read real bytes.
 */
export function runSourceSuite(name: string, factory: SourceFactory, options: SourceSuiteOptions = {}): void {
  const skip = new Set<string>(options.skip ?? []);
  const unknown = [...skip].filter((s) => !(SOURCE_CHECKS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`runSourceSuite: unknown checks in skip: ${unknown.join(', ')}`);
  const timeout = options.timeoutMs ?? 120_000;
  const openLimit = options.openLimit ?? 20;

  describe(name, () => {
    let current: Awaited<ReturnType<SourceFactory>> | undefined;
    const source = () => current!.source;

    beforeEach(async () => {
      current = await factory();
    }, timeout);

    afterEach(async () => {
      const done = current;
      current = undefined;
      try {
        await done?.source.close?.();
      } finally {
        await done?.cleanup?.();
      }
    }, timeout);

    const check = (checkName: SourceCheck, fn: () => Promise<void>) => {
      if (!skip.has(checkName)) it(checkName, fn, timeout);
    };

    check('lists exactly the expected number of assets', async () => {
      expect((await listAssets(source())).length).toBe(current!.expected.assetCount);
    });

    check('gives every asset a non-empty, unique id', async () => {
      const ids = (await listAssets(source())).map((a) => a.id);
      for (const id of ids) expect(typeof id === 'string' && id.length > 0, `id ${JSON.stringify(id)}`).toBe(true);
      expect(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        'ids listed more than once',
      ).toEqual([]);
    });

    check('gives every asset well-formed fields and at least one resource', async () => {
      for (const a of await listAssets(source())) {
        const where = `asset ${JSON.stringify(a.id)}`;
        expect(typeof a.fileName, `${where}: fileName`).toBe('string');
        expect(
          Array.isArray(a.albums) && typeof a.favorite === 'boolean' && typeof a.hidden === 'boolean',
          `${where}: albums, favorite, hidden`,
        ).toBe(true);
        expect(a.resources.length, `${where}: number of resources`).toBeGreaterThan(0);
        for (const r of a.resources) {
          expect(r.kind, `${where}: resource kind`).toMatch(/./);
          expect(r.fileName, `${where}: resource fileName`).toMatch(/./);
          expect(Number.isSafeInteger(r.size) && r.size >= 0, `${where}: resource size ${r.size}`).toBe(true);
          expect(r.version, `${where}: resource version`).toMatch(/./);
        }
      }
    });

    // Core reads an asset missing from a listing as deleted, and a new version as a new copy: both must be stable.
    check('lists the same ids and versions when listed twice', async () => {
      const snapshot = async () =>
        (await listAssets(source()))
          .map((a) => `${a.id} ${a.resources.map((r) => `${r.kind}:${r.version}`).join(',')}`)
          .sort();
      expect(await snapshot()).toEqual(await snapshot());
    });

    check('opens each resource to exactly its declared size', async () => {
      for (const { resource, handle } of firstResources(await listAssets(source()), openLimit)) {
        const data = await collect(await source().open(handle, { signal: signal() }));
        expect(data.length, `bytes of ${handle.assetId} ${handle.kind}`).toBe(resource.size);
        if (resource.sha256 !== undefined)
          expect(sha256Hex(data), `sha256 of ${handle.assetId} ${handle.kind}`).toBe(resource.sha256);
      }
    });

    check('opens a resource at an offset to yield its tail', async () => {
      const resources = firstResources(await listAssets(source()), openLimit).filter((r) => r.resource.size >= 2);
      for (const { resource, handle } of resources.slice(0, 3)) {
        const whole = await collect(await source().open(handle, { signal: signal() }));
        for (const offset of [Math.floor(resource.size / 2), resource.size - 1]) {
          const tail = await collect(await source().open(handle, { signal: signal(), offset }));
          expectBytes(tail, whole.subarray(offset), `${handle.assetId} ${handle.kind} from offset ${offset}`);
        }
      }
    });
  });
}
