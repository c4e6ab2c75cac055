import { describeError, ErrorCode, toFailure } from '@lifeboat/plugin-api';
import { syncAlbumView } from '../album-view/index.js';
import { readIndex } from '../dest-index/index.js';
import type { RunFailure } from './events.js';
import type { ReadyDestination } from './prepare-destinations.js';

/**
 * The last step of a run on a destination whose user asked for an album view: bring `Albums/` in step with its
 * index (every copy of this run is indexed by now). What fails is reported; the copies are never touched.
 */
export async function keepAlbumView(d: ReadyDestination, signal: AbortSignal): Promise<RunFailure[]> {
  if (!d.description.albumView) return [];
  if (!d.destination.link) {
    return [
      {
        code: ErrorCode.Usage,
        destination: d.name,
        message: `Destination "${d.name}" asks for an album view, but it cannot make links (an encrypted destination, or a plugin without them)`,
        hint: `Turn it off: lifeboat destination set ${d.name} --set albumView=false`,
      },
    ];
  }
  try {
    const result = await syncAlbumView(d.destination, await readIndex(d.destination), signal);
    return result.failures.map((f) => ({
      code: f.code,
      destination: d.name,
      message: `Album view of "${d.name}": ${f.key}: ${f.message}`,
    }));
  } catch (error) {
    const { code, hint } = toFailure(error);
    return [
      {
        code,
        destination: d.name,
        message: `Album view of "${d.name}": ${describeError(error)}`,
        ...(hint ? { hint } : {}),
      },
    ];
  }
}
