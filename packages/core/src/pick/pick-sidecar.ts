import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Asset, AssetResource } from '@lifeboat/plugin-api';
import { tempOwnerTag } from '@lifeboat/plugin-api';
import { assetDetails } from '../catalog/details.js';
import { RESTORE_TEMP_SUFFIX } from '../restore/restore-file.js';
import { writeXmp } from '../sidecar/xmp.js';

/** The sidecar a backup would write beside this resource's copy: the same writer, the same fields. */
export function pickSidecarText(asset: Asset, resource: AssetResource, sourceName: string): string {
  return writeXmp({
    source: sourceName,
    assetId: asset.id,
    kind: resource.kind,
    fileName: resource.fileName,
    ...(asset.capturedAt ? { capturedAt: asset.capturedAt } : {}),
    ...(asset.timeZone ? { timeZone: asset.timeZone } : {}),
    favorite: asset.favorite === true,
    hidden: asset.hidden === true,
    albums: asset.albums,
    details: assetDetails(asset) ?? {},
  });
}

/**
 * Puts a picked file's sidecar at `path`: written to a temp file beside it (named as a restore's temp files, so
 * an interrupted one is swept like theirs), fsynced, then linked to its name, which never replaces a file. A file
 * already there is left as it is, whatever it holds (a person may have edited it in their photo application):
 * 'present' says the same bytes were there, 'kept' that different ones were.
 */
export async function placeSidecar(path: string, text: string): Promise<'written' | 'present' | 'kept'> {
  const data = Buffer.from(text, 'utf8');
  const existing = await readFile(path).catch(() => undefined);
  if (existing) return existing.equals(data) ? 'present' : 'kept';
  const temp = join(dirname(path), `.${tempOwnerTag()}${randomBytes(6).toString('hex')}${RESTORE_TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    try {
      await link(temp, path);
    } catch (error) {
      // Appeared meanwhile: never replaced; judged like one that was there before.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return (await readFile(path)).equals(data) ? 'present' : 'kept';
    }
    return 'written';
  } finally {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
  }
}
