import type { InstanceService } from '../app/instances.js';
import type { Io } from '../output/io.js';

/**
 * `lifeboat destination adopt <name>`: the backup now at the destination's location becomes the one it expects
 * (a drive replaced on purpose); without it, another backup found there is refused.
 */
export async function adoptDestination(instances: InstanceService, io: Io, name: string) {
  const adopted = await instances.adopt(name);
  if (!adopted) return 1;
  const { location, marker, previous } = adopted;
  io.err(
    `Destination "${name}" now uses the backup at ${location} (marker id ${marker.id}, named "${marker.name}", created ${marker.createdAt})${previous && previous !== marker.id ? `; it was ${previous}` : ''}.`,
  );
  return 0;
}
