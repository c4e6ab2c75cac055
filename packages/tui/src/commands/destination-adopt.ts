import { inspectMarker, requireMarker } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig } from '../container.js';
import type { Io } from '../output/io.js';
import { createInstance, rememberMarkerId } from '../state/instances.js';
import { requireInstance } from './instances.js';

/**
 * `lifeboat destination adopt <name>`: the backup now at the destination's location becomes the one it expects
 * (a drive replaced on purpose); without it, another backup found there is refused.
 */
export async function adoptDestination(c: DependencyContainer, io: Io, name: string) {
  const store = resolveConfig(c);
  const all = store.read().destinations;
  requireInstance('destination', name, all);
  const { markerId: previous, ...config } = all[name]!;
  const ctx = await contextFor(c, 'destination', name, config.type, new AbortController().signal);
  const destination = await createInstance(await pluginHost(c), 'destination', name, config, ctx);
  try {
    const location = (await destination.describe()).location;
    const state = await inspectMarker(destination);
    if (state.state === 'damaged') throw state.error;
    if (state.state === 'missing') {
      await requireMarker(destination, name); // says: not mounted
      return 1;
    }
    const { marker } = state;
    rememberMarkerId(store, name, marker.id, true);
    io.err(
      `Destination "${name}" now uses the backup at ${location} (marker id ${marker.id}, named "${marker.name}", created ${marker.createdAt})${previous && previous !== marker.id ? `; it was ${previous}` : ''}.`,
    );
    return 0;
  } finally {
    await destination.close?.();
  }
}
