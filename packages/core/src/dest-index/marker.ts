import { randomUUID } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';
import { DestinationUnavailableError, ErrorCode, LifeboatError } from '@lifeboat/plugin-api';
import { type DestinationMarker, MARKER_KEY } from './format.js';
import { readAll, writeBuffer } from './io.js';

/**
 * Prepares a destination when the user adds it and writes its marker. Re-adding a drive that already holds a
 * Lifeboat backup keeps its marker (and so its identity).
 */
export async function initializeDestination(
  destination: Destination,
  name: string,
  now: string,
): Promise<DestinationMarker> {
  await destination.prepare?.();
  const existing = await readMarker(destination);
  if (existing) return existing;
  const marker: DestinationMarker = {
    format: 'lifeboat-destination',
    version: 1,
    id: randomUUID(),
    name,
    createdAt: now,
  };
  await writeBuffer(destination, MARKER_KEY, Buffer.from(`${JSON.stringify(marker, null, 2)}\n`));
  return marker;
}

export async function readMarker(destination: Destination): Promise<DestinationMarker | undefined> {
  const state = await inspectMarker(destination);
  if (state.state === 'damaged') throw state.error;
  return state.state === 'ok' ? state.marker : undefined;
}

export type MarkerState =
  | { state: 'ok'; marker: DestinationMarker }
  | { state: 'missing' }
  | { state: 'damaged'; error: LifeboatError };

/** The marker, or whether it is missing or damaged, without throwing for either (restore reads on regardless). */
export async function inspectMarker(destination: Destination): Promise<MarkerState> {
  if (!(await destination.stat(MARKER_KEY))) return { state: 'missing' };
  const text = (await readAll(await destination.read(MARKER_KEY))).toString('utf8');
  try {
    const marker = JSON.parse(text) as DestinationMarker;
    if (typeof marker !== 'object' || marker === null || marker.format !== 'lifeboat-destination') {
      throw new Error('not a Lifeboat marker');
    }
    if (typeof marker.id !== 'string' || marker.id === '') throw new Error('the marker has no id');
    return { state: 'ok', marker };
  } catch (cause) {
    const error = new LifeboatError(ErrorCode.BadMarker, `The destination marker ${MARKER_KEY} is not readable`, {
      hint: "Something else changed the file. Run `lifeboat index rebuild <the destination's folder>`: it sets the damaged marker aside and writes a new one (then `lifeboat destination adopt <name>` if it is configured)",
      cause,
    });
    return { state: 'damaged', error };
  }
}

/**
 * Refuses a destination whose marker is missing: a drive that is not mounted leaves an empty mount point, and
 * a backup written there would fill the system disk and vanish when the drive comes back.
 */
export async function requireMarker(destination: Destination, name: string): Promise<DestinationMarker> {
  const location = (await destination.describe().catch(() => undefined))?.location ?? name;
  const marker = await readMarker(destination);
  if (!marker) {
    throw new DestinationUnavailableError(
      `Destination "${name}" is not available: ${location} has no Lifeboat marker (${MARKER_KEY})`,
      {
        hint: `If it is a removable drive, plug it in or mount it, then run again. If you moved the backup, point the destination at its new location: \`lifeboat destination set ${name} --set path=<new location>\` (for a drive; other types take their own setting).`,
      },
    );
  }
  return marker;
}
