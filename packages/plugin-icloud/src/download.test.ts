import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openResource } from './download.js';
import { IcloudHttp } from './http/client.js';
import { newSessionState } from './http/session-state.js';
import { encodeLocator } from './photos/locator.js';
import type { UrlResolver } from './resolver.js';
import { readAll } from './test-helpers/sim.js';

const DATA = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251));
const locator = encodeLocator({
  library: { library: 'primary', database: 'private', zone: { zoneName: 'PrimarySync' } },
  recordType: 'CPLMaster',
  recordName: 'M',
  field: 'resOriginalRes',
});
const handle = { assetId: 'M', kind: 'original', version: 'ck:x', fileName: 'a.jpg', size: DATA.length, locator };

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A download server whose answers are scripted per request; returns its URL and the Range headers it saw. */
async function serve(answer: (n: number, start: number, res: import('node:http').ServerResponse) => void) {
  const ranges: string[] = [];
  let n = 0;
  server = createServer((req, res) => {
    const range = req.headers.range ?? '';
    ranges.push(range);
    answer(n++, Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0), res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/B/x/\${f}?e=9999999999`;
  let resolved = 0;
  const resolver = {
    resolve: async () => {
      resolved++;
      return url;
    },
  } as unknown as UrlResolver;
  const http = new IcloudHttp(newSessionState(), { home: 'https://www.icloud.com' });
  return { ranges, resolver, http: () => http, resolvedCount: () => resolved };
}

const partial = (res: import('node:http').ServerResponse, start: number, end = DATA.length) => {
  res.writeHead(206, {
    'Content-Range': `bytes ${start}-${DATA.length - 1}/${DATA.length}`,
    'Content-Length': end - start,
  });
  res.end(DATA.subarray(start, end));
};

describe('open() against a download server', () => {
  it('resumes with Range after a cut connection', async () => {
    const s = await serve((n, start, res) => {
      if (n === 0) {
        res.writeHead(206, {
          'Content-Range': `bytes 0-${DATA.length - 1}/${DATA.length}`,
          'Content-Length': DATA.length,
        });
        res.write(DATA.subarray(0, 30_000), () => res.destroy());
      } else partial(res, start);
    });
    const body = await readAll(
      await openResource(s.resolver, s.http, handle, { signal: new AbortController().signal }),
    );
    expect(body.equals(DATA)).toBe(true);
    expect(s.ranges[0]).toBe('bytes=0-');
    expect(s.ranges[1]).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('drops the bytes it already has when a server ignores Range', async () => {
    const s = await serve((n, _start, res) => {
      res.writeHead(200, { 'Content-Length': DATA.length });
      if (n === 0) res.write(DATA.subarray(0, 40_000), () => res.destroy());
      else res.end(DATA);
    });
    const body = await readAll(
      await openResource(s.resolver, s.http, handle, { signal: new AbortController().signal }),
    );
    expect(body.equals(DATA)).toBe(true);
  });

  it('refuses a body longer than declared', async () => {
    const s = await serve((_n, _start, res) => {
      res.writeHead(200);
      res.end(Buffer.concat([DATA, Buffer.from('extra')]));
    });
    await expect(
      readAll(await openResource(s.resolver, s.http, handle, { signal: new AbortController().signal })),
    ).rejects.toMatchObject({
      code: 'LIFEBOAT_INTEGRITY',
    });
  });

  it('re-resolves an expired URL once, then reports the file as unavailable', async () => {
    const s = await serve((_n, _start, res) => {
      res.writeHead(410);
      res.end();
    });
    await expect(
      openResource(s.resolver, s.http, handle, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      retryable: true,
    });
    expect(s.resolvedCount()).toBe(2);
  });

  it('refuses a range answer that starts at the wrong byte', async () => {
    const s = await serve((_n, _start, res) => partial(res, 10));
    await expect(
      openResource(s.resolver, s.http, handle, { signal: new AbortController().signal, offset: 5 }),
    ).rejects.toMatchObject({ code: 'LIFEBOAT_ICLOUD_PROTOCOL' });
  });

  it('stops when the caller aborts', async () => {
    const s = await serve((_n, start, res) => {
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${DATA.length - 1}/${DATA.length}` });
      res.write(DATA.subarray(start, start + 1000)); // then nothing
    });
    const controller = new AbortController();
    const body = await openResource(s.resolver, s.http, handle, { signal: controller.signal });
    const reading = readAll(body);
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(reading).rejects.toThrow();
  });
});
