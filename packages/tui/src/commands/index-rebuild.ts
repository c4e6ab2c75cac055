import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type Destination, rebuildIndex, UsageError } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig } from '../container.js';
import type { Io } from '../output/io.js';
import { createInstance, rememberMarkerId } from '../state/instances.js';

/** A configured destination by name, or a backup folder by its path (a drive alone, on any machine). */
async function open(c: DependencyContainer, target: string): Promise<{ name: string; destination: Destination }> {
  const host = await pluginHost(c);
  const configured = resolveConfig(c).read().destinations[target];
  const signal = new AbortController().signal;
  if (configured) {
    const ctx = await contextFor(c, 'destination', target, configured.type, signal);
    // No identity check: a lost or damaged marker is what this command is for.
    const { markerId: _, ...unchecked } = configured;
    return { name: target, destination: await createInstance(host, 'destination', target, unchecked, ctx) };
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    const path = resolve(target);
    const ctx = await contextFor(c, 'destination', 'rebuild', 'disk', signal);
    const destination = await createInstance(host, 'destination', path, { type: 'disk', settings: { path } }, ctx);
    return { name: basename(path), destination };
  }
  throw new UsageError(`"${target}" is neither a configured destination nor a folder`, {
    hint: 'Give the path of the backup folder (the one holding .lifeboat/) or a name from `lifeboat destination list`',
  });
}

/** `lifeboat index rebuild <path|destination>`: a destination's index and marker, rebuilt from its files. */
export async function rebuildIndexCommand(c: DependencyContainer, io: Io, target: string, json: boolean) {
  const { name, destination } = await open(c, target);
  try {
    let read = 0;
    const summary = await rebuildIndex(destination, {
      name,
      now: new Date(),
      onFile: () => {
        read++;
        if (!json && io.isTTY && read % 100 === 0) io.err(`reading unindexed files: ${read}`);
      },
    });
    if (summary.marker.state === 'written') adoptRebuilt(c, target, summary.marker.id);
    if (json) {
      io.json({ ok: true, ...summary, added: summary.added.length });
      return 0;
    }
    for (const d of summary.damagedLines) io.err(`damaged: ${d.segment} line ${d.line}: ${d.reason}`);
    for (const key of summary.setAside) io.err(`set aside: ${key}`);
    io.err(
      `Index of ${target} rebuilt: ${summary.files} files; ${summary.alreadyIndexed} already indexed, ${summary.added.length} indexed from their bytes (sha256)${summary.added.length > 0 ? ' without a capture date or albums, so --since/--until do not select them' : ''}; marker ${summary.marker.state === 'kept' ? 'kept' : 'written anew'}.`,
    );
    return 0;
  } finally {
    await destination.close?.();
  }
}

/** The destinations configured at the rebuilt location take its new marker: the user pointed at this backup. */
function adoptRebuilt(c: DependencyContainer, target: string, markerId: string): void {
  const store = resolveConfig(c);
  const path = existsSync(target) ? resolve(target) : undefined;
  for (const [name, d] of Object.entries(store.read().destinations)) {
    if (name === target || (path !== undefined && d.type === 'disk' && d.settings.path === path)) {
      rememberMarkerId(store, name, markerId, true);
    }
  }
}
