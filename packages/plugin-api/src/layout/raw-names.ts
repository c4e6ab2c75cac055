/**
 * File names that are not valid UTF-8 (Latin-1 camera cards, old drives, SMB shares): Node decodes such a name
 * to U+FFFD, a path that names nothing. A source keeps their bytes instead: the asset gets a readable safe name
 * (each invalid byte as %XX, `escapeInvalidUtf8`) and an id holding the original path bytes (`rawAssetId`), which
 * each destination's index keeps, so a restore can give the file its own name back (`originalNameOf`).
 */
const fatal = new TextDecoder('utf-8', { fatal: true });

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The name with its valid UTF-8 kept and each byte that is not part of a valid sequence written as %XX. */
export function escapeInvalidUtf8(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]!);
    if (length > 0 && i + length <= bytes.length) {
      try {
        out += fatal.decode(bytes.subarray(i, i + length));
        i += length;
        continue;
      } catch {
        // not a valid sequence: escape its first byte and look again from the next
      }
    }
    out += `%${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
  }
  return out;
}

/** Asset ids of byte-named files: a leading `/` (never in a relative path) then the path bytes, base64url. */
const RAW_ID = '/raw/';

export function rawAssetId(relativeBytes: Buffer): string {
  return `${RAW_ID}${relativeBytes.toString('base64url')}`;
}

/** The relative path bytes of a byte-named file's id, or undefined for an ordinary id. */
export function rawRelativePath(id: string): Buffer | undefined {
  return id.startsWith(RAW_ID) ? Buffer.from(id.slice(RAW_ID.length), 'base64url') : undefined;
}

/** The original name bytes of a copy whose asset id is a `rawAssetId`, when its key ends in the escaped name. */
export function originalNameOf(assetId: string, key: string): Buffer | undefined {
  const raw = rawRelativePath(assetId);
  if (!raw) return undefined;
  const name = raw.subarray(raw.lastIndexOf(0x2f) + 1);
  const keyName = key.slice(key.lastIndexOf('/') + 1);
  if (name.length === 0 || name.includes(0) || escapeInvalidUtf8(name) !== keyName) return undefined;
  return name;
}
