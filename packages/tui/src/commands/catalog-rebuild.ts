import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { adoptDestinationIndex, Catalog, describeError, requireMarker } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig, resolvePaths } from '../container.js';
import type { Io } from '../output/io.js';
import { createInstance } from '../state/instances.js';

/**
 * `lifeboat catalog rebuild`: moves a damaged catalog aside (never deletes it) and builds a new one from each
 * configured destination's own index, so the next run copies nothing twice. Run history is not recovered.
 */
export async function rebuildCatalog(c: DependencyContainer, io: Io, json: boolean) {
  const file = resolvePaths(c).catalogFile;
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const aside: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(`${file}${suffix}`)) continue;
    const target = `${file}.damaged-${stamp}${suffix}`;
    await rename(`${file}${suffix}`, target);
    aside.push(target);
  }
  const catalog = Catalog.open(file);
  const host = await pluginHost(c);
  const signal = new AbortController().signal;
  const results: Array<{ destination: string; copies?: number; error?: string }> = [];
  try {
    for (const [name, config] of Object.entries(resolveConfig(c).read().destinations)) {
      try {
        const ctx = await contextFor(c, 'destination', name, config.type, signal);
        const destination = await createInstance(host, 'destination', name, config, ctx);
        try {
          await requireMarker(destination, name);
          results.push({ destination: name, copies: await adoptDestinationIndex(catalog, name, destination) });
        } finally {
          await destination.close?.();
        }
      } catch (error) {
        results.push({ destination: name, error: describeError(error) });
      }
    }
  } finally {
    catalog.close();
  }
  const ok = results.every((r) => r.error === undefined);
  if (json) io.json({ ok, setAside: aside, destinations: results });
  else {
    for (const a of aside) io.err(`Moved the old catalog aside: ${a}`);
    for (const r of results) {
      io.err(r.error ? `  ${r.destination}: NOT READ: ${r.error}` : `  ${r.destination}: ${r.copies} copies`);
    }
    io.err(
      ok
        ? 'Catalog rebuilt from the destinations. The next run copies only what they lack.'
        : 'Catalog rebuilt from the destinations that could be read; run `lifeboat catalog rebuild` again once the others are back (it sets this catalog aside too), or let the next run adopt them.',
    );
  }
  return ok ? 0 : 1;
}
