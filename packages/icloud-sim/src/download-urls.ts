/**
 * Download URLs shaped like cvws.icloud-content.com ones (`/B/<id>/${f}?...&e=<unix s>&...&s=<sig>`) but pointing
 * at the simulator. The id names (library, asset, resource, version); `e` is the expiry and `s` an HMAC over both,
 * so a URL cannot be forged or extended, and an expired one is refused.
 */
import { createHmac } from 'node:crypto';
import type { ResourceField } from './asset-spec.js';
import type { SimContext } from './context.js';
import type { AssetState, Library } from './library.js';

export interface DownloadTarget {
  library: number;
  index: number;
  field: ResourceField;
  version: number;
  expiresAt: number;
}

function sign(ctx: SimContext, id: string, expires: number): string {
  return createHmac('sha256', ctx.urlSecret).update(`${id}.${expires}`).digest('base64url').slice(0, 27);
}

export function downloadUrl(
  ctx: SimContext,
  library: Library,
  state: AssetState,
  field: ResourceField,
  version: number,
): string {
  const libraryIndex = ctx.libraries.indexOf(library);
  const id = Buffer.from(`${libraryIndex}.${state.index}.${field}.${version}`).toString('base64url');
  const expires = Math.floor((ctx.now() + ctx.pace.downloadUrlTtlMs) / 1000);
  const query = [
    `o=${id.slice(0, 16)}`,
    'v=1',
    'x=3',
    `a=${id.slice(-12)}`,
    `e=${expires}`,
    'k=sim',
    'fl=',
    `r=${state.spec.assetId.toLowerCase()}-1`,
    'ckc=com.apple.photos.cloud',
    `ckz=${encodeURIComponent(library.zoneName)}`,
    'y=1',
    'p=61',
    `s=${sign(ctx, id, expires)}`,
  ].join('&');
  return `${ctx.downloadBaseUrl}/B/${id}/\${f}?${query}`;
}

/** Parses and checks a download request; 'forged' if the signature does not match. */
export function parseDownload(ctx: SimContext, url: URL): DownloadTarget | 'forged' | undefined {
  const match = /^\/B\/([A-Za-z0-9_-]+)(\/|$)/.exec(url.pathname);
  if (!match) return undefined;
  const id = match[1]!;
  const expires = Number(url.searchParams.get('e'));
  if (!Number.isFinite(expires) || url.searchParams.get('s') !== sign(ctx, id, expires)) return 'forged';
  const [library, index, field, version] = Buffer.from(id, 'base64url').toString('utf8').split('.');
  return {
    library: Number(library),
    index: Number(index),
    field: field as ResourceField,
    version: Number(version),
    expiresAt: expires * 1000,
  };
}
