import { ConfigError, type Destination } from '@lifeboat/plugin-api';
import { EncryptingDestination } from '../encryption/encrypting-destination.js';
import { type RestoreEvent, type RestoreSummary, restoreItems } from './restore.js';

/**
 * Restores every object a destination lists, with no Lifeboat index: a folder or bucket that `rclone copy` wrote
 * into a crypt remote (the destination is then the decrypting view, so keys and bytes come out plain). There is
 * no sha256 to check against: sizes are checked, and rclone crypt's sealed blocks fail on any changed byte.
 * `match` filters on the (plain) key; Lifeboat's own bookkeeping under `.lifeboat/` is never restored.
 */
export async function restoreListedObjects(options: {
  destination: Destination;
  to: string;
  match?: (key: string) => boolean;
  signal?: AbortSignal;
  onEvent?: (e: RestoreEvent) => void;
}): Promise<RestoreSummary> {
  const items: { key: string; size: number; assetId: string }[] = [];
  for await (const info of options.destination.list('')) {
    if (info.key.startsWith('.lifeboat/') || (options.match && !options.match(info.key))) continue;
    items.push({ key: info.key, size: info.size, assetId: '' });
  }
  const encrypting = items.length === 0 ? encryptingLayer(options.destination) : undefined;
  if (encrypting) {
    // The decrypting view skips what it cannot decrypt (as rclone does): all of it means the wrong keys.
    for await (const stored of encrypting.inner.list('')) {
      throw new ConfigError(`No file there could be decrypted (the first: ${stored.key})`, {
        hint: 'Check the password (and the salt, --secret encryptionPassword2, if rclone had password2) and whether rclone used filename_encryption off (--set filenameEncryption=off)',
      });
    }
  }
  return restoreItems({
    destination: options.destination,
    to: options.to,
    items,
    damaged: [],
    signal: options.signal ?? new AbortController().signal,
    emit: options.onEvent ?? (() => {}),
  });
}

/** The decrypting layer under the host's wrappers (identity and key checks each keep theirs as `inner`). */
function encryptingLayer(destination: Destination): EncryptingDestination | undefined {
  let layer: unknown = destination;
  for (let depth = 0; depth < 8 && layer; depth++) {
    if (layer instanceof EncryptingDestination) return layer;
    layer = (layer as { inner?: unknown }).inner;
  }
  return undefined;
}
