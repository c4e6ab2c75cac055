import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICLOUD_ERRORS } from './errors.js';
import { decodeLocator } from './photos/locator.js';
import { unsafeName } from './test-helpers/context.js';
import {
  BACKED_UP_FIELDS,
  expectedStates,
  handleOf,
  listAll,
  readAll,
  signedInSource,
  simBytes,
} from './test-helpers/sim.js';

describe('listing and downloading from the simulated iCloud (200 assets)', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>>;
  beforeAll(async () => {
    sim = await startSimulator({ assets: 200, seed: 7 });
    env = await signedInSource(sim);
  });
  afterAll(async () => {
    await env.cleanup();
    await sim.stop();
  });

  it('yields every asset once with every resource it has', async () => {
    const assets = await listAll(env.source);
    const expected = expectedStates(sim.library);
    expect(assets.length).toBe(expected.length);
    expect(new Set(assets.map((a) => a.id)).size).toBe(assets.length);
    const byId = new Map(assets.map((a) => [a.id, a]));
    for (const state of expected) {
      const asset = byId.get(state.spec.masterId);
      expect(asset, state.spec.masterId).toBeDefined();
      const fields = sim.library
        .resources(state)
        .map((r) => r.field)
        .filter((f) => BACKED_UP_FIELDS.includes(f))
        .sort();
      const listed = asset!.resources.map((r) => decodeLocator(r.locator)!.field).sort();
      expect(listed, `${state.spec.kind} ${state.spec.masterId}`).toEqual(fields);
      for (const r of asset!.resources) {
        const field = decodeLocator(r.locator)!.field;
        expect(r.size).toBe(sim.library.resource(state, field as never)!.size);
      }
      expect(asset!.hidden).toBe(state.isHidden);
      expect(asset!.favorite).toBe(state.isFavorite);
      expect(asset!.capturedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      expect(unsafeName(asset!.fileName)).toBe(false);
      for (const r of asset!.resources) expect(unsafeName(r.fileName)).toBe(false);
    }
  });

  it('streams bytes equal to what the simulator serves, from any offset', async () => {
    const assets = await listAll(env.source);
    const byId = new Map(assets.map((a) => [a.id, a]));
    let checked = 0;
    for (const state of expectedStates(sim.library).slice(0, 25)) {
      const asset = byId.get(state.spec.masterId)!;
      for (const r of asset.resources) {
        const field = decodeLocator(r.locator)!.field;
        const body = await readAll(
          await env.source.open(handleOf(asset, r.kind), { signal: new AbortController().signal }),
        );
        expect(body.equals(simBytes(sim.library, state, field)), `${asset.id} ${r.kind}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
    const first = assets[0]!;
    const handle = handleOf(first, 'original');
    const whole = await readAll(await env.source.open(handle, { signal: new AbortController().signal }));
    const half = Math.floor(handle.size / 2);
    const tail = await readAll(await env.source.open(handle, { signal: new AbortController().signal, offset: half }));
    expect(tail.equals(whole.subarray(half))).toBe(true);
  });

  it('resumes truncated bodies and re-fetches expired URLs', async () => {
    const assets = await listAll(env.source);
    const asset = assets[3]!;
    const handle = handleOf(asset, 'original');
    const state = sim.library.state(sim.library.find(asset.id)!);
    for (const mode of ['clean', 'reset'] as const) {
      sim.faults.truncateMode = mode;
      sim.faults.truncateDownloads = 1;
      const body = await readAll(await env.source.open(handle, { signal: new AbortController().signal }));
      expect(body.equals(simBytes(sim.library, state, 'resOriginalRes')), mode).toBe(true);
    }
    sim.faults.expireDownloadUrls = 1;
    const body = await readAll(await env.source.open(handle, { signal: new AbortController().signal }));
    expect(body.equals(simBytes(sim.library, state, 'resOriginalRes'))).toBe(true);
  });

  it('gives up on a body that stays short with a retryable error', async () => {
    const [asset] = await listAll(env.source);
    sim.faults.truncateMode = 'clean';
    sim.faults.truncateDownloads = 10;
    await expect(
      readAll(await env.source.open(handleOf(asset!, 'original'), { signal: new AbortController().signal })),
    ).rejects.toMatchObject({
      retryable: true,
    });
    sim.faults.truncateDownloads = 0;
  });

  it('recovers from a 421 in the middle of a listing without prompting', async () => {
    sim.faults.expireSessionsAfter = 2;
    const assets = await listAll(env.source);
    expect(assets.length).toBe(expectedStates(sim.library).length);
    sim.faults.expireSessionsAfter = null;
  });

  it('backs off through a 503 burst, and surfaces a longer one as retryable', async () => {
    sim.faults.throttleScope = 'cloudkit';
    sim.faults.throttle = 3;
    expect((await listAll(env.source)).length).toBe(expectedStates(sim.library).length);
    sim.faults.throttle = 1000;
    await expect(listAll(env.source)).rejects.toMatchObject({ retryable: true, code: 'LIFEBOAT_TRANSIENT' });
    sim.faults.throttle = 0;
  });

  it('says what to do when web access is off, or indexing is not finished', async () => {
    sim.faults.accessDenied = true;
    await expect(listAll(env.source)).rejects.toMatchObject({
      code: ICLOUD_ERRORS.WEB_ACCESS_OFF,
      hint: expect.stringContaining('Access iCloud Data on the Web'),
    });
    sim.faults.accessDenied = false;
    // The indexes are what Apple is still building: a walk needs them, an incremental run (changes/zone) does not.
    sim.expireSyncTokens();
    sim.faults.indexingNotFinished = true;
    await expect(listAll(env.source)).rejects.toMatchObject({
      code: ICLOUD_ERRORS.INDEXING,
      hint: expect.stringContaining('later'),
    });
    sim.faults.indexingNotFinished = false;
  });
});
