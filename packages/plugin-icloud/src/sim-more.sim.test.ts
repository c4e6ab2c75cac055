import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { runSourceSuite } from '@lifeboat/plugin-api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ICLOUD_ERRORS } from './errors.js';
import { expectedStates, handleOf, listAll, readAll, signedInSource } from './test-helpers/sim.js';

// The conformance kit every Lifeboat source passes, against the simulated iCloud.
{
  let sim: Simulator | undefined;
  runSourceSuite(
    'icloud source conformance (simulated iCloud, 30 assets)',
    async () => {
      sim = await startSimulator({ assets: 30, seed: 11 });
      const env = await signedInSource(sim);
      return {
        source: env.source,
        expected: { assetCount: expectedStates(sim.library).length },
        cleanup: async () => {
          await env.cleanup();
          await sim?.stop();
        },
      };
    },
    { openLimit: 12 },
  );
}

describe('libraries, include flags and stored sessions', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>> | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 60, seed: 5, sharedAssets: 12 });
  });
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
    await sim.stop();
  });

  it('lists the shared library when chosen, with ids apart from the primary ones', async () => {
    env = await signedInSource(sim, { library: 'both' });
    const assets = await listAll(env.source);
    const shared = assets.filter((a) => a.metadata.library === 'shared');
    expect(shared.length).toBe(expectedStates(sim.sharedLibrary!).length);
    expect(assets.length).toBe(expectedStates(sim.library).length + shared.length);
    expect(shared.every((a) => a.id.startsWith('shared:'))).toBe(true);
    const body = await readAll(
      await env.source.open(handleOf(shared[0]!, 'original'), { signal: new AbortController().signal }),
    );
    expect(body.length).toBe(shared[0]!.resources[0]!.size);

    const onlyShared = await signedInSource(sim, { library: 'shared' }, { secrets: env.ctx.secrets });
    expect((await listAll(onlyShared.source)).length).toBe(shared.length);
    await onlyShared.cleanup();
  });

  it('leaves out hidden photos and companion files when told to', async () => {
    sim.library.setFlags({ indexes: [1, 2, 3] }, { hidden: true });
    env = await signedInSource(sim, { include: { hidden: false, liveVideos: false, raw: false, edited: false } });
    const assets = await listAll(env.source);
    expect(assets.length).toBe(expectedStates(sim.library, { hidden: false }).length);
    expect(assets.some((a) => a.hidden)).toBe(false);
    expect(assets.every((a) => a.resources.every((r) => r.kind === 'original'))).toBe(true);
  });

  it('reuses the stored session in a new process, and renews it from the trust token when it expired', async () => {
    env = await signedInSource(sim);
    const secrets = env.ctx.secrets;
    await listAll(env.source);
    await env.cleanup();
    // A fresh state folder (new LIFEBOAT_HOME), same keychain entries: no prompt, a full listing.
    env = await signedInSource(sim, {}, { secrets });
    sim.expireSessions();
    sim.counters.reset();
    expect((await listAll(env.source)).length).toBe(expectedStates(sim.library).length);
    expect(sim.counters.requests('setup accountLogin')).toBe(1);
  });

  it('asks for a new sign-in, once, when Apple no longer accepts the stored session', async () => {
    env = await signedInSource(sim);
    await listAll(env.source);
    await env.cleanup();
    // Apple ended the sign-in itself (not just the web cookie): the stored token is refused.
    const stored = JSON.parse(env.ctx.secrets.map.get('session')!);
    env.ctx.secrets.map.set('session', JSON.stringify({ ...stored, sessionToken: 'revoked' }));
    env = await signedInSource(sim, {}, { secrets: env.ctx.secrets });
    sim.expireSessions();
    sim.counters.reset();
    await expect(listAll(env.source)).rejects.toMatchObject({
      code: ICLOUD_ERRORS.LOGIN_REQUIRED,
      hint: expect.stringContaining('lifeboat login my-icloud'),
    });
    // One renewal attempt. (Node's fetch itself repeats a request answered 421 once, on a new connection, so
    // the server sees it twice.)
    expect(sim.counters.requests('setup accountLogin')).toBeLessThanOrEqual(2);
    // Concurrent downloads fail the same way, without a retry storm.
    const handle = { assetId: 'x', kind: 'original', version: 'v', fileName: 'x.jpg', size: 1, locator: 'bogus' };
    await expect(env.source.open(handle, { signal: new AbortController().signal })).rejects.toMatchObject({
      code: ICLOUD_ERRORS.LOGIN_REQUIRED,
    });
    await expect(env.source.open(handle, { signal: new AbortController().signal })).rejects.toMatchObject({
      code: ICLOUD_ERRORS.LOGIN_REQUIRED,
    });
    expect(sim.counters.requests('setup accountLogin')).toBeLessThanOrEqual(2);
  });

  it('shares one renewal among concurrent downloads after a 421', async () => {
    env = await signedInSource(sim);
    const assets = await listAll(env.source);
    sim.expireSessions();
    sim.counters.reset();
    const bodies = await Promise.all(
      assets
        .slice(0, 8)
        .map(async (a) =>
          readAll(await env!.source.open(handleOf(a, 'original'), { signal: new AbortController().signal })),
        ),
    );
    for (const [i, b] of bodies.entries()) expect(b.length).toBe(assets[i]!.resources[0]!.size);
    expect(sim.counters.requests('setup accountLogin')).toBeLessThanOrEqual(1);
  });

  it('surfaces a throttled download as retryable', async () => {
    env = await signedInSource(sim);
    const [asset] = await listAll(env.source);
    sim.faults.throttleScope = 'download';
    sim.faults.throttle = 1;
    await expect(
      env.source.open(handleOf(asset!, 'original'), { signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      retryable: true,
    });
  });
});
