// biome-ignore-all lint/suspicious/noExplicitAny: tests dig through untyped response JSON
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQuery, SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let c: SimClient;
beforeAll(async () => {
  sim = await startSimulator({ assets: 5 });
  c = new SimClient(sim.authUrl, sim.setupUrl);
  await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
});
afterAll(() => sim.stop());

describe('small renditions', () => {
  it('serves each thumbnail and medium rendition (a video poster frame too) as a whole JPEG of its declared size', async () => {
    const page = await c.ck(
      'private',
      'records/query',
      listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', 0),
    );
    const masters = (page.json.records as any[]).filter((r) => r.recordType === 'CPLMaster');
    expect(masters.some((m) => m.fields.itemType.value === 'com.apple.quicktime-movie')).toBe(true);
    for (const master of masters) {
      for (const field of ['resJPEGThumbRes', 'resJPEGMedRes']) {
        const { downloadURL, size } = master.fields[field].value as { downloadURL: string; size: number };
        const bytes = Buffer.from(await (await fetch(downloadURL.replaceAll('$' + '{f}', 'thumb.jpg'))).arrayBuffer());
        expect(bytes.length).toBe(size);
        expect(bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9])); // ends where the picture ends
        const image = jpeg.decode(bytes, { useTArray: true });
        expect(image.width).toBeGreaterThanOrEqual(16);
        expect(image.height).toBeGreaterThanOrEqual(16);
      }
    }
  });
});
