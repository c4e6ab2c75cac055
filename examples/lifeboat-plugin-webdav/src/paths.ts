import { InvalidKeyError } from '@lifeboat/plugin-api';

/** Folder (below the root) that holds uploads until they are moved under their key; emptied by recover(). */
export const TEMP_FOLDER = '.lifeboat-webdav-partial';

const encode = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** The URL of the object under `key`. Keys inside the temp folder are refused: they would be swept by recover(). */
export function keyUrl(root: URL, key: string): URL {
  if (key === TEMP_FOLDER || key.startsWith(`${TEMP_FOLDER}/`)) {
    throw new InvalidKeyError(`Key ${JSON.stringify(key)} is inside ${TEMP_FOLDER}/, which holds unfinished uploads`);
  }
  return new URL(encode(key), root);
}

/** The URL of a folder below the root (`''` is the root itself), with its trailing slash. */
export function folderUrl(root: URL, folder: string): URL {
  return folder === '' ? new URL(root) : new URL(`${encode(folder)}/`, root);
}

/** The folders a key lives in, outermost first: `a/b/c.jpg` gives `a`, `a/b`. */
export function parentFolders(key: string): string[] {
  const segments = key.split('/').slice(0, -1);
  return segments.map((_, i) => segments.slice(0, i + 1).join('/'));
}

/** The key (relative to the root, no trailing slash) an href of a PROPFIND answer names, or undefined outside it. */
export function hrefKey(root: URL, href: string): string | undefined {
  const path = new URL(href, root).pathname;
  const decode = (p: string) =>
    p
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
  const base = decode(root.pathname);
  const full = decode(path);
  if (!full.startsWith(base)) return undefined;
  return full.slice(base.length).replace(/\/$/, '');
}

/** The URL as messages show it: no credentials (there are none in it) and no query. */
export function redact(url: URL): string {
  return `${url.origin}${decodeURI(url.pathname)}`;
}
