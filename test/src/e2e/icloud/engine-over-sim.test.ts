import { Catalog, initializeDestination, runBackup } from '@lifeboat/core';
import { MemoryDestination } from '@lifeboat/core/testing';
import { type AssetState, type Library, type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInSource } from './signed-in-source.js';

// Moved here from plugin-icloud: it drives core's engine, which a plugin's own tests may not import.

/** The asset states a default listing yields: everything not expunged (hidden and recently deleted included). */
function expectedStates(library: Library): AssetState[] {
  const out: AssetState[] = [];
  for (let i = 0; i < library.size; i++) if (!library.state(i).isExpunged) out.push(library.state(i));
  return out;
}

const fast = { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 };
/** The photos a destination holds: not its own files, nor the XMP sidecar beside each photo. */
const copies = (d: MemoryDestination) =>
  [...d.objects.keys()].filter((k) => !k.startsWith('.lifeboat/') && !k.endsWith('.xmp'));

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
