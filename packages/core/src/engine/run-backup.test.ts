import { createHash } from 'node:crypto';
import { TransientError } from '@lifeboat/plugin-api';
import { MemoryDestination, MemorySource } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { initializeDestination, readIndex } from '../dest-index/index.js';
import { runBackup } from './run-backup.js';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

async function setup(n = 20) {
  const source = new MemorySource();
  for (let i = 0; i < n; i++) {
    source.put(`dir${i % 3}/IMG_${String(i % 7).padStart(4, '0')}.JPG`, Buffer.alloc(100_000 + i, i), {
      capturedAt: `2020-0${(i % 3) + 1}-1${i % 9}T10:00:00`,
    });
  }
  const a = new MemoryDestination({ medium: 'a' });
  const b = new MemoryDestination({ medium: 'b' });
  await initializeDestination(a, 'a', new Date().toISOString());
  await initializeDestination(b, 'b', new Date().toISOString());
  const catalog = Catalog.open(':memory:');
  const run = () =>
    runBackup({
      plan: 'p',
      catalog,
      sources: [{ name: 'src', source }],
      destinations: [
        { name: 'a', destination: a },
        { name: 'b', destination: b },
      ],
      retry: fast,
    });
  return { source, a, b, catalog, run };
}

const copies = (d: MemoryDestination) =>
  [...d.objects.keys()].filter((k) => !k.startsWith('.lifeboat/') && !k.endsWith('.xmp'));

describe('runBackup', () => {
  it('copies every file to both destinations once, laid out by date, without losing same-named files', async () => {
    const { source, a, b, run } = await setup();
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(summary.filesCopied).toBe(20);
    expect(summary.destinations.map((d) => d.filesCopied)).toEqual([20, 20]);
    for (const d of [a, b]) {
      expect(copies(d)).toHaveLength(20);
      const stored = copies(d)
        .map((k) => d.objects.get(k)!.data.toString('base64'))
        .sort();
      const originals = [...source.files.values()].map((f) => f.data.toString('base64')).sort();
      expect(stored).toEqual(originals);
      expect(copies(d).every((k) => /^2020\/0[123]\//.test(k))).toBe(true);
      expect(await readIndex(d)).toHaveLength(20);
    }
  });

  it('copies nothing on a second run, and only a new version after an edit, keeping the old copy', async () => {
    const { source, a, run } = await setup(5);
    await run();
    const again = await run();
    expect(again.filesCopied).toBe(0);
    expect(again.bytesCopied).toBe(0);
    source.put('dir0/IMG_0000.JPG', Buffer.alloc(5000, 9), { capturedAt: '2020-01-10T10:00:00' });
    const edited = await run();
    expect(edited.filesCopied).toBe(1);
    expect(copies(a)).toHaveLength(6);
  });

  it('keeps copies of files deleted at the source and reports them gone', async () => {
    const { source, a, b, run, catalog } = await setup(10);
    await run();
    for (const id of [...source.files.keys()].slice(0, 4)) source.files.delete(id);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(summary.goneFromSource).toBe(4);
    expect(catalog.goneCount()).toBe(4);
    expect(copies(a)).toHaveLength(10);
    expect(copies(b)).toHaveLength(10);
  });

  it('still fills the healthy destination when the other one fails', async () => {
    const { a, b, run } = await setup(6);
    b.failWrites = () => {
      throw new Error('disk on fire');
    };
    const summary = await run();
    expect(summary.ok).toBe(false);
    expect(copies(a)).toHaveLength(6);
    expect(copies(b)).toHaveLength(0);
    expect(summary.failures.filter((f) => f.destination === 'b')).toHaveLength(6);
    b.failWrites = undefined;
    const retry = await run();
    expect(retry.ok).toBe(true);
    expect(retry.destinations.find((d) => d.name === 'b')?.filesCopied).toBe(6);
    expect(retry.destinations.find((d) => d.name === 'a')?.filesCopied).toBe(0);
  });

  it('retries transient failures until the copy succeeds', async () => {
    const { a, run } = await setup(3);
    let failures = 0;
    a.failWrites = () => {
      if (failures++ < 2) throw new TransientError('503 slow down');
    };
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(copies(a)).toHaveLength(3);
  });

  it("gives each write core's sha256 of its body, readable when the body ends", async () => {
    const { a, source, run } = await setup(4);
    const write = a.write.bind(a);
    const offered: Array<string | undefined> = [];
    a.write = async (key, body, options) => {
      async function* watched() {
        for await (const chunk of body) yield chunk;
        if (!key.startsWith('.lifeboat/') && !key.endsWith('.xmp')) offered.push(options.bodySha256?.());
      }
      return write(key, watched(), options);
    };
    await run();
    const real = [...source.files.values()].map((f) => createHash('sha256').update(f.data).digest('hex'));
    expect(offered.sort()).toEqual(real.sort());
  });

  it('gets the destinations ready while the sources are listed, not one after the other', async () => {
    const { a, source, run } = await setup(3);
    let listingStarted!: () => void;
    const started = new Promise<void>((resolve) => (listingStarted = resolve));
    const list = source.list.bind(source);
    source.list = () => {
      listingStarted();
      return list();
    };
    // Had the engine waited for this destination before listing, the listing could not start within the second.
    const describe = a.describe.bind(a);
    let overlapped: boolean | undefined;
    a.describe = async () => {
      const waited = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
      overlapped = await Promise.race([started.then(() => true), waited]);
      return describe();
    };
    const summary = await run();
    expect(overlapped).toBe(true);
    expect(summary.ok).toBe(true);
    expect(copies(a)).toHaveLength(3);
  });

  it('refuses a destination without its marker and writes nothing there', async () => {
    const { b, run } = await setup(3);
    b.objects.clear();
    const summary = await run();
    expect(summary.ok).toBe(false);
    expect(summary.destinations.find((d) => d.name === 'b')?.error?.code).toBe('LIFEBOAT_DEST_UNAVAILABLE');
    expect(b.objects.size).toBe(0);
    expect(summary.destinations.find((d) => d.name === 'a')?.filesCopied).toBe(3);
  });
});
