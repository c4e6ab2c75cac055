import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, initializeDestination, runBackup, type ScopedSecrets, type Source } from '@lifeboat/core';
import { MemoryDestination } from '@lifeboat/core/testing';
import { type AssetState, type Library, type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { createIcloudSourceFactory } from '@lifeboat/plugin-icloud';
import { afterEach, describe, expect, it } from 'vitest';

// Moved here from plugin-icloud: it drives core's engine, which a plugin's own tests may not import.

/** Signs in to the simulator (password + code) through the plugin's public factory, as the CLI's login does. */
async function signedInSource(sim: Simulator): Promise<{ source: Source; cleanup: () => Promise<void> }> {
  const storageDir = await mkdtemp(join(tmpdir(), 'icloud-src-'));
  const factory = createIcloudSourceFactory({ storageDir, retry: fast });
  const map = new Map<string, string>();
  const secrets: ScopedSecrets = {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const context = { name: 'my-icloud', logger: quiet, secrets, signal: new AbortController().signal };
  const settings = { appleId: sim.account.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl };
  await factory.login!(settings, context, {
    password: async () => sim.account.password,
    code: async () => ({ code: sim.account.code }),
    info() {},
  });
  const source = await factory.create(settings, context);
  return {
    source,
    cleanup: async () => {
      await source.close?.();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

/** The asset states a default listing yields: everything not expunged (hidden and recently deleted included). */
function expectedStates(library: Library): AssetState[] {
  const out: AssetState[] = [];
  for (let i = 0; i < library.size; i++) if (!library.state(i).isExpunged) out.push(library.state(i));
  return out;
}

const fast = { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 };
const copies = (d: MemoryDestination) => [...d.objects.keys()].filter((k) => !k.startsWith('.lifeboat/'));

describe("core's backup engine over the simulated iCloud", () => {
  let sim: Simulator;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    await sim.stop();
  });

  it('backs up every file to two destinations through faults, then only what changed', async () => {
    sim = await startSimulator({ assets: 80, seed: 21 });
    const env = await signedInSource(sim);
    cleanup = env.cleanup;
    const a = new MemoryDestination({ medium: 'a' });
    const b = new MemoryDestination({ medium: 'b' });
    await initializeDestination(a, 'a', new Date().toISOString());
    await initializeDestination(b, 'b', new Date().toISOString());
    const catalog = Catalog.open(':memory:');
    const run = () =>
      runBackup({
        plan: 'p',
        catalog,
        sources: [{ name: 'icloud', source: env.source }],
        destinations: [
          { name: 'a', destination: a },
          { name: 'b', destination: b },
        ],
        retry: fast,
      });
    const resources = (states = expectedStates(sim.library)) =>
      states.reduce(
        (n, s) =>
          n +
          sim.library
            .resources(s)
            .filter((r) =>
              ['resOriginalRes', 'resOriginalAltRes', 'resOriginalVidComplRes', 'resJPEGFullRes'].includes(r.field),
            ).length,
        0,
      );

    // Faults during the first run: a 503 burst, a session that ends mid-run, cut bodies, expired URLs.
    sim.faults.throttle = 2;
    sim.faults.expireSessionsAfter = 5;
    sim.faults.truncateDownloads = 3;
    sim.faults.expireDownloadUrls = 2;
    const first = await run();
    expect(first.failures).toEqual([]);
    expect(first.ok).toBe(true);
    const total = resources();
    expect(first.filesCopied).toBe(total);
    expect(copies(a).length).toBe(total);
    expect(copies(b).length).toBe(total);

    const added = sim.library.add(10);
    const stills = expectedStates(sim.library)
      .filter((st) => st.spec.kind !== 'video')
      .map((st) => st.index);
    const edited = [stills[1]!, stills[11]!, stills[21]!];
    sim.library.edit({ indexes: edited });
    sim.library.delete({ indexes: [stills[5]!, stills[15]!, stills[25]!, stills[35]!, stills[45]!] });
    sim.counters.reset();
    const second = await run();
    expect(second.failures).toEqual([]);
    expect(second.goneFromSource).toBe(5);
    const newFiles = resources(added.map((i) => sim.library.state(i)));
    expect(second.filesCopied).toBe(newFiles + 3); // the new photos' files and 3 edited renders
    const served = sim.counters.assetsServed();
    const expectedServed = new Set([
      ...added.map((i) => sim.library.state(i).spec.assetId),
      ...edited.map((i) => sim.library.state(i).spec.assetId),
    ]);
    expect(new Set(served)).toEqual(expectedServed);
    expect(sim.counters.requests('ck private records/query')).toBeLessThanOrEqual(2);
    expect(copies(a).length).toBe(total + newFiles + 3);
  });
});
