import { createHash } from 'node:crypto';
import type { Asset } from '@lifeboat/plugin-api';
import { type AssetDetails, XMP_WRITER_VERSION } from '../sidecar/xmp.js';

/**
 * The asset's descriptive fields, checked one by one (a source's data is untrusted): a field of the wrong shape
 * is dropped, never the asset. Undefined when there is none.
 */
export function assetDetails(asset: Asset): AssetDetails | undefined {
  const d: AssetDetails = {};
  const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
  if (text(asset.folder)) d.folder = asset.folder;
  if (text(asset.title)) d.title = asset.title;
  if (text(asset.caption)) d.caption = asset.caption;
  if (Array.isArray(asset.keywords)) {
    const keywords = asset.keywords.filter(text);
    if (keywords.length > 0) d.keywords = keywords;
  }
  const l = asset.location;
  if (l && Number.isFinite(l.latitude) && Number.isFinite(l.longitude)) {
    d.location = { latitude: l.latitude, longitude: l.longitude };
    if (typeof l.altitude === 'number' && Number.isFinite(l.altitude)) d.location.altitude = l.altitude;
  }
  if (asset.albumFolders && typeof asset.albumFolders === 'object') {
    const folders = Object.entries(asset.albumFolders).filter(([album, folder]) => text(album) && text(folder));
    if (folders.length > 0) d.albumFolders = Object.fromEntries(folders);
  }
  return Object.keys(d).length > 0 ? d : undefined;
}

/**
 * A hash of everything a sidecar says of an asset except its albums (which may arrive later, see
 * InventoryWriter.setAlbums, and are compared as stored): when it changes, the sidecars are rewritten. The
 * writer's version is part of it, so a new sidecar format reaches every copy.
 */
export function metaHash(asset: Asset, details: AssetDetails | undefined): string {
  const fields = [
    XMP_WRITER_VERSION,
    asset.capturedAt ?? null,
    asset.timeZone ?? null,
    asset.favorite === true,
    asset.hidden === true,
    details ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 22);
}
