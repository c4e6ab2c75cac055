import { DestinationUnavailableError, LifeboatError } from '@lifeboat/plugin-api';
import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { MARKER_KEY } from './format.js';
import { writeBuffer } from './io.js';
import { initializeDestination, readMarker, requireMarker } from './marker.js';

describe('initializeDestination', () => {
  it('writes a readable marker naming the destination', async () => {
    const d = new MemoryDestination();
    const marker = await initializeDestination(d, 'drive-a', '2024-05-01T10:00:00.000Z');
    expect(marker).toEqual({
      format: 'lifeboat-destination',
      version: 1,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'drive-a',
      createdAt: '2024-05-01T10:00:00.000Z',
    });
    expect(JSON.parse(d.objects.get(MARKER_KEY)!.data.toString('utf8'))).toEqual(marker);
  });

  it('keeps the existing marker, and so the identity, when initialised again', async () => {
    const d = new MemoryDestination();
    const first = await initializeDestination(d, 'drive-a', '2024-05-01T10:00:00.000Z');
    const written = d.objects.get(MARKER_KEY)!.modifiedAt;
    const again = await initializeDestination(d, 'renamed', '2025-01-01T00:00:00.000Z');
    expect(again).toEqual(first);
    expect(d.objects.get(MARKER_KEY)!.modifiedAt).toBe(written);
  });

  it('gives two destinations different ids', async () => {
    const a = await initializeDestination(new MemoryDestination(), 'a', 'T');
    const b = await initializeDestination(new MemoryDestination(), 'b', 'T');
    expect(a.id).not.toBe(b.id);
  });
});

describe('requireMarker', () => {
  it('refuses a destination without a marker with LIFEBOAT_DEST_UNAVAILABLE', async () => {
    const d = new MemoryDestination({ location: '/media/usb-drive' });
    const error = await requireMarker(d, 'drive-a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationUnavailableError);
    expect((error as DestinationUnavailableError).code).toBe('LIFEBOAT_DEST_UNAVAILABLE');
    expect((error as DestinationUnavailableError).message).toContain('"drive-a"');
    expect((error as DestinationUnavailableError).message).toContain('/media/usb-drive');
    expect((error as DestinationUnavailableError).hint).toMatch(/plug it in|mount/);
  });

  it('returns the marker of an initialised destination', async () => {
    const d = new MemoryDestination();
    const marker = await initializeDestination(d, 'drive-a', 'T');
    expect(await requireMarker(d, 'drive-a')).toEqual(marker);
  });

  it('refuses a marker that is not a Lifeboat marker with LIFEBOAT_BAD_MARKER', async () => {
    for (const body of ['{"format":"something-else"}', 'garbage', 'null']) {
      const d = new MemoryDestination();
      await writeBuffer(d, MARKER_KEY, Buffer.from(body));
      const error = await readMarker(d).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LifeboatError);
      expect((error as LifeboatError).code).toBe('LIFEBOAT_BAD_MARKER');
    }
  });
});
