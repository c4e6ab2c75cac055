import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import type { AlbumsUpdate, Asset } from '@lifeboat/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedStates, listAll, signedInSource } from './test-helpers/sim.js';

/** An asset's albums as the simulator names them: `Folder/Album` for an album inside a folder. */
const paths = (a: { albums: string[]; albumFolders?: Record<string, string> }) =>
  a.albums.map((name) => (a.albumFolders?.[name] ? `${a.albumFolders[name]}/${name}` : name));

describe('a full listing that reports albums later', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>> | undefined;
  afterEach(async () => {
    await env?.cleanup();
    await sim.stop();
  });

  it('yields photos before their albums, reports each one once, and keeps them in the snapshot', async () => {
    sim = await startSimulator({ assets: 400, seed: 8 });
    sim.faults.latencyMs = 30; // album pages take a few round trips more than the first photo page
    env = await signedInSource(sim);
    const truth = new Map(expectedStates(sim.library).map((s) => [s.spec.masterId, sim.library.albumNamesOf(s.index)]));

    const yielded = new Map<string, Asset>();
    const reported = new Map<string, string[]>();
    const reportedBeforeYield: string[] = [];
    const albumsLater = (updates: readonly AlbumsUpdate[]) => {
      for (const u of updates) {
        if (!yielded.get(u.assetId)?.albumsPending) reportedBeforeYield.push(u.assetId);
        expect(reported.has(u.assetId)).toBe(false);
        reported.set(u.assetId, paths(u));
      }
    };
    for await (const a of env.source.list({ signal: new AbortController().signal, albumsLater })) yielded.set(a.id, a);

    const pending = [...yielded.values()].filter((a) => a.albumsPending);
    expect(pending.length).toBeGreaterThan(0);
    expect(reportedBeforeYield).toEqual([]);
    expect(new Set(reported.keys())).toEqual(new Set(pending.map((a) => a.id)));
    const final = new Map([...yielded.values()].map((a) => [a.id, reported.get(a.id) ?? paths(a)]));
    expect(Object.fromEntries(final)).toEqual(Object.fromEntries(truth));

    // The next listing is incremental, from the snapshot: it must carry the albums that came late.
    sim.counters.reset();
    const again = await listAll(env.source);
    expect(sim.counters.requests('ck private changes/zone')).toBeGreaterThan(0);
    expect(sim.counters.requests('ck private records/query')).toBeLessThanOrEqual(2);
    expect(again.some((a) => a.albumsPending)).toBe(false);
    expect(Object.fromEntries(again.map((a) => [a.id, paths(a)]))).toEqual(Object.fromEntries(truth));
  });

  it('has an incremental listing whose albums changed send its photos first and their albums after', async () => {
    sim = await startSimulator({ assets: 120, seed: 9 });
    env = await signedInSource(sim);
    const truth = Object.fromEntries(
      expectedStates(sim.library).map((s) => [s.spec.masterId, sim.library.albumNamesOf(s.index)]),
    );
    await listAll(env.source); // the full walk: its snapshot is what the next runs start from
    // The album changes: CloudKit's changes name CPLAlbum records; a snapshot left with the albums from before them
    // (albumsStale) is how the listing records that, and how this test asks for it.
    const [dir] = (await readdir(env.storageDir)).filter((d) => d.startsWith('source-'));
    const statePath = join(env.storageDir, dir!, 'state.json');
    const stale = { ...JSON.parse(await readFile(statePath, 'utf8')), albumsStale: true };
    await writeFile(statePath, JSON.stringify(stale));

    const yielded = new Map<string, Asset>();
    const reported = new Map<string, string[]>();
    const raw = new Map<string, AlbumsUpdate>();
    let reportedWhileListing = 0;
    const albumsLater = (updates: readonly AlbumsUpdate[]) => {
      for (const u of updates) reported.set(u.assetId, paths(u));
      for (const u of updates) raw.set(u.assetId, u);
      if (yielded.size < 120) reportedWhileListing++;
    };
    for await (const a of env.source.list({ signal: new AbortController().signal, albumsLater })) yielded.set(a.id, a);
    expect(yielded.size).toBe(Object.keys(truth).length);
    expect([...yielded.values()].every((a) => a.albumsPending)).toBe(true); // none waited for the album pages
    expect(reportedWhileListing).toBe(0);
    expect(Object.fromEntries(reported)).toEqual(truth);
    expect(JSON.parse(await readFile(statePath, 'utf8')).albumsStale).toBeUndefined();

    // The snapshot now holds the albums that came late: the next listing has them, with nothing pending.
    const again = await listAll(env.source);
    expect(again.some((a) => a.albumsPending)).toBe(false);
    expect(Object.fromEntries(again.map((a) => [a.id, paths(a)]))).toEqual(truth);
    // Late albums come in the listing's own form: plain names, with the folders apart (never `Folder/Album`).
    for (const a of again) {
      const late = raw.get(a.id)!;
      expect({ albums: late.albums, folders: late.albumFolders ?? {} }, a.id).toEqual({
        albums: a.albums,
        folders: a.albumFolders ?? {},
      });
    }
    expect(again.some((a) => Object.keys(a.albumFolders ?? {}).length > 0)).toBe(true);
  });
});
