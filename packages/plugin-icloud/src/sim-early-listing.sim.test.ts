import { setTimeout as sleep } from 'node:timers/promises';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ICLOUD_ERRORS } from './errors.js';
import type { FetchLike } from './http/client.js';
import { INDEX } from './photos/walk.js';
import { expectedStates, listAll, signedInSource } from './test-helpers/sim.js';

/**
 * A fetch that records the order of validate and the first listing page, holding validate's answer until a
 * listing page was sent. A client that waits for validate before listing gets it after `fallbackMs` instead of
 * hanging, and the recorded order then shows the page after the answer.
 */
function watchOrder(fallbackMs = 3000) {
  const order: string[] = [];
  let armed = false;
  let pageSent = () => {};
  const sent = new Promise<void>((resolve) => (pageSent = resolve));
  const fetch: FetchLike = async (input, init) => {
    const url = String(input);
    if (armed && url.endsWith('/validate')) {
      order.push('validate sent');
      const response = await globalThis.fetch(input, init);
      await Promise.race([sent, sleep(fallbackMs)]);
      order.push('validate answered');
      return response;
    }
    if (armed && url.includes('/records/query') && String(init?.body).includes(INDEX.all)) {
      if (!order.includes('page sent')) order.push('page sent');
      pageSent();
    }
    return globalThis.fetch(input, init);
  };
  return { order, fetch, arm: () => (armed = true) };
}

describe('the first listing page goes out while the stored session is validated', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>> | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 40, seed: 3 });
  });
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
    await sim.stop();
  });

  it('sends the first records/query page before validate answers', async () => {
    const watch = watchOrder();
    env = await signedInSource(sim, {}, { fetch: watch.fetch });
    watch.arm();
    expect((await listAll(env.source)).length).toBe(expectedStates(sim.library).length);
    expect(watch.order.slice(0, 3)).toEqual(['validate sent', 'page sent', 'validate answered']);
  });

  it('renews a dead stored session once, and the early page is answered after the renewal', async () => {
    const watch = watchOrder();
    env = await signedInSource(sim, {}, { fetch: watch.fetch });
    sim.expireSessions();
    sim.counters.reset();
    watch.arm();
    expect((await listAll(env.source)).length).toBe(expectedStates(sim.library).length);
    // validate refused, then one accountLogin shared by resume and the page that met the dead session.
    expect(sim.counters.requests('setup accountLogin')).toBe(1);
  });

  it("reports the session's own error when web access was turned off, not the page's", async () => {
    env = await signedInSource(sim);
    sim.faults.adp = true;
    sim.faults.accessDenied = true;
    // The page alone would say "private db access disabled"; the account answer names the cause.
    await expect(listAll(env.source)).rejects.toMatchObject({
      code: ICLOUD_ERRORS.WEB_ACCESS_OFF,
      message: expect.stringContaining('Advanced Data Protection is on and Access iCloud Data on the Web is off'),
    });
  });
});
