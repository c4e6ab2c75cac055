import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceHandle, SourceOpenOptions } from '@lifeboat/plugin-api';
import { MemorySource } from '@lifeboat/plugin-api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pickFromSource } from './pick.js';
import { PICK_PARTIAL_SUFFIX } from './pick-file.js';

/** A source that records every open (offset included) and can cut a body after some bytes, as a dropped Wi-Fi does. */
class CountingSource extends MemorySource {
  readonly opens: { id: string; offset: number }[] = [];
  cutAfter: number | undefined;
  override async open(handle: ResourceHandle, options: SourceOpenOptions): Promise<AsyncIterable<Uint8Array>> {
    this.opens.push({ id: handle.assetId, offset: options.offset ?? 0 });
    const body = await super.open(handle, options);
    const cut = this.cutAfter;
    if (cut === undefined) return body;
    return (async function* () {
      let sent = 0;
      for await (const chunk of body) {
        if (sent + chunk.length > cut) {
          yield chunk.subarray(0, cut - sent);
          throw Object.assign(new Error('connection dropped'), { retryable: false });
        }
        sent += chunk.length;
        yield chunk;
      }
    })();
  }
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('pickFromSource', () => {
  let dir: string;
  let source: CountingSource;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pick-'));
    source = new CountingSource();
    source.put('a', bytes(300_000, 1), {
      fileName: 'IMG_0001.JPG',
      capturedAt: '2024-07-01T10:00:00+02:00',
      favorite: true,
      albums: ['Trips/Paris'],
    });
    source.put('b', bytes(1000, 2), { fileName: 'IMG_0001.JPG', capturedAt: '2024-07-02T10:00:00+02:00' });
    source.put('c', bytes(1000, 3), { fileName: 'IMG_0003.JPG', capturedAt: '2023-01-01T10:00:00' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('filters, names a second file of the same name apart, and dates each file by its capture', async () => {
    const summary = await pickFromSource({ source, sourceName: 's', to: dir, filter: { since: '2024-01-01' } });
    expect(summary.ok).toBe(true);
    expect(summary.files.map((f) => f.key).sort()).toEqual(['2024/07/IMG_0001 (2).JPG', '2024/07/IMG_0001.JPG']);
    expect(statSync(join(dir, '2024/07/IMG_0001.JPG')).mtime.toISOString()).toBe('2024-07-01T08:00:00.000Z');
    const albums = await pickFromSource({
      source,
      sourceName: 's',
      to: join(dir, 'x'),
      filter: { albums: ['Paris'], favorites: true },
      dryRun: true,
    });
    expect(albums.files.map((f) => f.assetId)).toEqual(['a']);
  });

  it('keeps what arrived when the connection drops, and the next pick asks only for the rest', async () => {
    source.cutAfter = 100_000;
    const first = await pickFromSource({
      source,
      sourceName: 's',
      to: dir,
      filter: { until: '2024-07-01', since: '2024-07-01' },
    });
    expect(first.ok).toBe(false);
    const folder = join(dir, '2024/07');
    const partial = readdirSync(folder).find((f) => f.endsWith(PICK_PARTIAL_SUFFIX))!;
    expect(statSync(join(folder, partial)).size).toBe(100_000);
    source.cutAfter = undefined;
    source.opens.length = 0;
    const second = await pickFromSource({
      source,
      sourceName: 's',
      to: dir,
      filter: { until: '2024-07-01', since: '2024-07-01' },
    });
    expect(second.ok).toBe(true);
    expect(source.opens).toEqual([{ id: 'a', offset: 100_000 }]);
    expect(second.bytesDownloaded).toBe(200_000);
    expect(second.resumed).toBe(1);
    expect(sha(readFileSync(join(folder, 'IMG_0001.JPG')))).toBe(sha(bytes(300_000, 1)));
    expect(readdirSync(folder).sort()).toEqual(['IMG_0001.JPG', 'IMG_0001.JPG.xmp']);
  });

  it('writes an XMP sidecar beside each picked file, counted apart, never over an existing one; none with none', async () => {
    // A source file named like another's sidecar gets a name of its own, not the sidecar's.
    source.put('d', bytes(10, 4), { fileName: 'IMG_0001.JPG.xmp', capturedAt: '2024-07-01T11:00:00+02:00' });
    const dry = await pickFromSource({
      source,
      sourceName: 's',
      to: dir,
      filter: { since: '2024-01-01' },
      dryRun: true,
    });
    expect([dry.matched, dry.sidecarsMatched, dry.sidecarsWritten]).toEqual([3, 3, 0]);
    const summary = await pickFromSource({ source, sourceName: 's', to: dir, filter: { since: '2024-01-01' } });
    expect(summary).toMatchObject({
      ok: true,
      filesPicked: 3,
      sidecars: 'xmp',
      sidecarsWritten: 3,
      sidecarsPresent: 0,
    });
    const folder = join(dir, '2024/07');
    expect(readdirSync(folder).sort()).toEqual([
      'IMG_0001 (2).JPG',
      'IMG_0001 (2).JPG.xmp',
      'IMG_0001.JPG',
      'IMG_0001.JPG (2).xmp',
      'IMG_0001.JPG (2).xmp.xmp',
      'IMG_0001.JPG.xmp',
    ]);
    const xmp = readFileSync(join(folder, 'IMG_0001.JPG.xmp'), 'utf8');
    expect(xmp).toContain('<exif:DateTimeOriginal>2024-07-01T10:00:00+02:00</exif:DateTimeOriginal>');
    expect(xmp).toContain('<xmp:Rating>5</xmp:Rating>');
    expect(xmp).toContain('<rdf:li>Albums|Trips/Paris</rdf:li>'); // one album named so (no folders here)
    expect(summary.files.find((f) => f.assetId === 'a')?.sidecar).toBe('2024/07/IMG_0001.JPG.xmp');
    // A sidecar someone edited is left as it is; the pick still succeeds, and says the sidecar was there.
    writeFileSync(join(folder, 'IMG_0001.JPG.xmp'), 'edited');
    const again = await pickFromSource({ source, sourceName: 's', to: dir, filter: { since: '2024-01-01' } });
    expect(again).toMatchObject({ ok: true, alreadyPresent: 3, sidecarsWritten: 0, sidecarsPresent: 3 });
    expect(readFileSync(join(folder, 'IMG_0001.JPG.xmp'), 'utf8')).toBe('edited');
    expect(readdirSync(folder)).toHaveLength(6); // no temp file left behind
    const none = await pickFromSource({
      source,
      sourceName: 's',
      to: join(dir, 'none'),
      filter: { since: '2024-01-01' },
      sidecars: 'none',
    });
    expect(none).toMatchObject({ ok: true, filesPicked: 3, sidecarsMatched: 0, sidecarsWritten: 0 });
    expect(readdirSync(join(dir, 'none/2024/07')).sort()).toEqual([
      'IMG_0001 (2).JPG',
      'IMG_0001.JPG',
      'IMG_0001.JPG.xmp',
    ]);
  });

  it('never overwrites a different file, and refuses bytes whose sha256 the source contradicts', async () => {
    const folder = join(dir, '2023/01');
    rmSync(folder, { recursive: true, force: true });
    await pickFromSource({ source, sourceName: 's', to: dir, filter: { until: '2023-12-31' } });
    writeFileSync(join(folder, 'IMG_0003.JPG'), 'mine');
    const again = await pickFromSource({ source, sourceName: 's', to: dir, filter: { until: '2023-12-31' } });
    expect(again.failures[0]?.code).toBe('LIFEBOAT_ALREADY_EXISTS');
    expect(readFileSync(join(folder, 'IMG_0003.JPG'), 'utf8')).toBe('mine');
    source.files.get('c')!.asset.resources[0]!.sha256 = '0'.repeat(64);
    const wrong = await pickFromSource({
      source,
      sourceName: 's',
      to: join(dir, 'other'),
      filter: { until: '2023-12-31' },
    });
    expect(wrong.failures[0]?.code).toBe('LIFEBOAT_INTEGRITY');
    expect(readdirSync(join(dir, 'other/2023/01'))).toEqual([]);
  });
});
