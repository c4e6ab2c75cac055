import type { Source } from '@lifeboat/plugin-api';
import { describeError, ErrorCode, SourceUnavailableError, toFailure } from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import type { RunEvent, RunFailure } from './events.js';

/**
 * Streams every source's listing into the catalog. Only a listing that ended normally may mark assets as gone;
 * an interrupted one keeps what it saw and marks nothing, so a network error never looks like mass deletion.
 */
export async function listSources(
  sources: { name: string; source: Source }[],
  catalog: Catalog,
  runId: number,
  now: () => string,
  emit: (e: RunEvent) => void,
  signal: AbortSignal,
): Promise<{ listed: number; newlyGone: number; failures: RunFailure[] }> {
  let listed = 0;
  let newlyGone = 0;
  const failures: RunFailure[] = [];
  for (const { name, source } of sources) {
    const writer = catalog.beginInventory(name, runId, now());
    let count = 0;
    try {
      for await (const asset of source.list({ signal })) {
        writer.add(asset);
        if (++count % 500 === 0) emit({ type: 'listing', source: name, assets: count });
      }
      if (signal.aborted) throw signal.reason;
      if (count === 0) refuseEmptyListing(catalog, name);
      const result = writer.finish();
      listed += result.listed;
      newlyGone += result.newlyGone;
      emit({ type: 'listed', source: name, assets: result.listed, newlyGone: result.newlyGone });
    } catch (error) {
      writer.abandon();
      const { code, hint } = toFailure(error, ErrorCode.SourceError);
      failures.push({
        code,
        source: name,
        message: `Listing source "${name}" failed: ${describeError(error)}`,
        ...(hint ? { hint } : {}),
      });
    }
  }
  return { listed, newlyGone, failures };
}

/**
 * A source that lists nothing while the catalog knows files in it is far more likely unplugged or unmounted than
 * emptied; recording the whole library as gone would bury real disappearances in noise.
 */
function refuseEmptyListing(catalog: Catalog, name: string) {
  for (const _ of catalog.presentResources([name])) {
    throw new SourceUnavailableError(`Source "${name}" listed no files, but earlier runs found files there`, {
      hint: 'Check that its drive or folder is available; nothing was marked as gone',
    });
  }
}
