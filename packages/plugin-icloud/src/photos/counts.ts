import { LifeboatError } from '@lifeboat/plugin-api';
import { ICLOUD_ERRORS } from '../errors.js';
import { arrayAt, numberAt, objectAt } from '../json.js';
import { type PhotosCloudKit, zoneBody } from './cloudkit.js';
import type { LibraryRef } from './locator.js';

/**
 * Items per index (HyperionIndexCountLookup, docs/icloud-protocol.md §Counts), all in one batch request: what lets a walk ask
 * for its pages in parallel. Ids the server did not count are missing from the map; a server without the batch
 * endpoint gives an empty map (the walks then go one page at a time).
 */
export async function indexCounts(
  ck: PhotosCloudKit,
  library: LibraryRef,
  ids: string[],
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (ids.length === 0) return counts;
  let json: Awaited<ReturnType<PhotosCloudKit['post']>>;
  try {
    json = await ck.post(
      library.database,
      'internal/records/query/batch',
      {
        batch: ids.map((id) => ({
          resultsLimit: 1,
          query: {
            filterBy: { fieldName: 'indexCountID', fieldValue: { type: 'STRING_LIST', value: [id] }, comparator: 'IN' },
            recordType: 'HyperionIndexCountLookup',
          },
          zoneWide: true,
          zoneID: zoneBody(library.zone),
        })),
      },
      signal,
    );
  } catch (error) {
    if (error instanceof LifeboatError && error.code === ICLOUD_ERRORS.PROTOCOL) return counts;
    throw error;
  }
  const batch = arrayAt(json, 'batch') ?? [];
  ids.forEach((id, i) => {
    const record = arrayAt(batch[i], 'records')?.[0];
    const n = numberAt(objectAt(objectAt(record, 'fields'), 'itemCount'), 'value');
    if (n !== undefined && Number.isSafeInteger(n) && n >= 0) counts.set(id, n);
  });
  return counts;
}
