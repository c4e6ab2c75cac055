import type { TrashOutcome, TrashRequest } from '@lifeboat/plugin-api';
import { arrayAt, isObject, numberAt, objectAt, stringAt } from '../json.js';
import type { PhotosCloudKit } from './cloudkit.js';

/**
 * Records per records/modify call: small, so one answer covers few photos, and atomic, so a conflict on one
 * moves none of its batch (docs/icloud-protocol.md §Photos database).
 */
export const TRASH_BATCH = 10;

/**
 * Moves assets of the primary library to Recently Deleted, as iCloud.com does when you delete a photo: an
 * `update` of the CPLAsset setting `isDeleted: 1`, sent with the recordChangeTag seen at listing so a record
 * changed since is refused (CONFLICT) rather than deleted on stale information. Never expunges. Stops at the
 * first batch with any refusal: later requests are answered `not-attempted`.
 */
export async function moveToTrash(
  cloudKit: PhotosCloudKit,
  requests: readonly TrashRequest[],
  signal: AbortSignal,
): Promise<TrashOutcome[]> {
  const outcomes: TrashOutcome[] = [];
  let stopped = false;
  for (let start = 0; start < requests.length; start += TRASH_BATCH) {
    const batch = requests.slice(start, start + TRASH_BATCH);
    if (stopped) {
      outcomes.push(...batch.map((r) => notAttempted(r.assetId)));
      continue;
    }
    const sendable = batch.map((r) => ({ request: r, target: targetOf(r) }));
    const unusable = sendable.find((s) => typeof s.target === 'string');
    if (unusable !== undefined) {
      // Refuse before sending anything for this batch: nothing half-known is ever deleted.
      for (const s of sendable) {
        outcomes.push(
          s === unusable
            ? { assetId: s.request.assetId, status: 'refused', message: s.target as string }
            : notAttempted(s.request.assetId),
        );
      }
      stopped = true;
      continue;
    }
    const answer = await cloudKit.post(
      'private',
      'records/modify',
      {
        atomic: true,
        desiredKeys: ['isDeleted'],
        operations: sendable.map(({ target }) => ({
          operationType: 'update',
          record: {
            fields: { isDeleted: { value: 1 } },
            recordChangeTag: (target as Target).changeTag,
            recordName: (target as Target).recordName,
            recordType: 'CPLAsset',
          },
        })),
        zoneID: { zoneName: 'PrimarySync' },
      },
      signal,
    );
    const batchOutcomes = readAnswer(answer, sendable);
    outcomes.push(...batchOutcomes);
    if (batchOutcomes.some((o) => o.status !== 'moved')) stopped = true;
  }
  return outcomes;
}

interface Target {
  recordName: string;
  changeTag: string;
}

/** The CPLAsset to update, or why it cannot be (a sentence for the user). */
function targetOf(request: TrashRequest): Target | string {
  const m = request.metadata;
  if (m.library !== 'primary') {
    // A Shared Library photo belongs to every participant: deleting it frees nobody's space alone.
    return 'Photos in a Shared Library are not offloaded (deleting one deletes it for every participant).';
  }
  const recordName = typeof m.assetRecordName === 'string' ? m.assetRecordName : undefined;
  const changeTag = typeof m.assetChangeTag === 'string' ? m.assetChangeTag : undefined;
  if (recordName === undefined || changeTag === undefined) {
    return 'The catalog has no record version for this photo yet: run a backup first, then offload again.';
  }
  return { recordName, changeTag };
}

function readAnswer(
  answer: unknown,
  sent: readonly { request: TrashRequest; target: Target | string }[],
): TrashOutcome[] {
  const records = arrayAt(answer, 'records') ?? [];
  const byName = new Map<string, unknown>();
  for (const record of records) {
    const name = stringAt(record, 'recordName');
    if (name !== undefined) byName.set(name, record);
  }
  return sent.map(({ request, target }) => {
    const record = byName.get((target as Target).recordName);
    const assetId = request.assetId;
    if (!isObject(record)) return { assetId, status: 'refused', message: 'iCloud did not answer for this photo.' };
    const code = stringAt(record, 'serverErrorCode');
    if (code === 'CONFLICT') {
      return { assetId, status: 'conflict', message: 'The photo changed in iCloud since it was listed.' };
    }
    if (code === 'NOT_FOUND') return { assetId, status: 'not-found', message: 'The photo is no longer in iCloud.' };
    // With atomic batches, the others of a refused batch are answered ATOMIC_ERROR and were not changed.
    if (code === 'ATOMIC_ERROR') return notAttempted(assetId);
    if (code !== undefined) {
      const reason = stringAt(record, 'reason');
      return { assetId, status: 'refused', message: `iCloud refused: ${code}${reason ? ` (${reason})` : ''}` };
    }
    if (numberAt(objectAt(objectAt(record, 'fields'), 'isDeleted'), 'value') !== 1) {
      return { assetId, status: 'refused', message: 'iCloud answered without marking the photo deleted.' };
    }
    return { assetId, status: 'moved' };
  });
}

const notAttempted = (assetId: string): TrashOutcome => ({ assetId, status: 'not-attempted' });
