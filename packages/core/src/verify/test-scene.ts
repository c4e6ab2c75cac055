// Shared by the verify tests: a real backup (engine, catalog, memory destinations) to verify and damage.

import { MemoryDestination, MemorySource } from '@lifeboat/plugin-api/testing';
import { Catalog } from '../catalog/index.js';
import { initializeDestination } from '../dest-index/index.js';
import { runBackup } from '../engine/run-backup.js';

export const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

export async function backedUp(n = 12) {
  const source = new MemorySource();
  for (let i = 0; i < n; i++) {
    source.put(`IMG_${String(i).padStart(4, '0')}.JPG`, Buffer.alloc(20_000 + i * 7, i + 1), {
      capturedAt: `2021-0${(i % 3) + 1}-0${(i % 9) + 1}T10:00:00`,
    });
  }
  const a = new MemoryDestination({ medium: 'a' });
  const b = new MemoryDestination({ medium: 'b' });
  await initializeDestination(a, 'a', '2024-01-01T00:00:00.000Z');
  await initializeDestination(b, 'b', '2024-01-01T00:00:00.000Z');
  const catalog = Catalog.open(':memory:');
  const summary = await runBackup({
    plan: 'p',
    catalog,
    sources: [{ name: 'src', source }],
    destinations: [
      { name: 'a', destination: a },
      { name: 'b', destination: b },
    ],
    retry: FAST_RETRY,
    clock: () => new Date('2024-01-02T00:00:00.000Z'),
  });
  if (!summary.ok) throw new Error(`setup backup failed: ${JSON.stringify(summary.failures)}`);
  return { source, a, b, catalog };
}

export const copyKeys = (d: MemoryDestination) =>
  [...d.objects.keys()].filter((k) => !k.startsWith('.lifeboat/') && !k.endsWith('.xmp')).sort();
