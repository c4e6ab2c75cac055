import { emeTransform } from './eme.js';
import { CryptError } from './errors.js';
import type { CryptKeys } from './keys.js';
import { decodeName, encodeName, type FilenameEncoding } from './name-encoding.js';
import { addVersion, splitVersion } from './versions.js';

/** rclone's name settings, with rclone's option names in the comments. */
export interface NameOptions {
  /** `filename_encryption`: standard (EME) or off (names kept, `suffix` added). rclone's `obfuscate` is not offered. */
  readonly filenameEncryption: 'standard' | 'off';
  /** `directory_name_encryption`: encrypt folder names too (standard only). */
  readonly directoryNameEncryption: boolean;
  /** `filename_encoding`. */
  readonly filenameEncoding: FilenameEncoding;
  /** `suffix`: added to file names when filename_encryption is off ('' for none). */
  readonly suffix: string;
}

export const DEFAULT_NAME_OPTIONS: NameOptions = {
  filenameEncryption: 'standard',
  directoryNameEncryption: true,
  filenameEncoding: 'base32',
  suffix: '.bin',
};

const BLOCK = 16;
/** rclone refuses longer encrypted names (backend/crypt/cipher.go, decryptSegment). */
const MAX_NAME_BYTES = 2048;

function pad(bytes: Uint8Array): Uint8Array {
  const padding = BLOCK - (bytes.length % BLOCK);
  const out = new Uint8Array(bytes.length + padding);
  out.set(bytes);
  out.fill(padding, bytes.length);
  return out;
}

/** The unpadded bytes, or undefined when the PKCS#7 padding is not valid (the name was not made with this key). */
function unpad(bytes: Uint8Array): Uint8Array | undefined {
  const padding = bytes[bytes.length - 1]!;
  if (padding === 0 || padding > BLOCK) return undefined;
  for (let i = bytes.length - padding; i < bytes.length; i++) if (bytes[i] !== padding) return undefined;
  return bytes.subarray(0, bytes.length - padding);
}

/** Encrypts and decrypts paths ('/'-separated, relative to the crypt remote's root) exactly as rclone does. */
export class NameCipher {
  constructor(
    private readonly keys: CryptKeys,
    readonly options: NameOptions = DEFAULT_NAME_OPTIONS,
  ) {}

  /** One path segment (a file or folder name) with standard encryption. */
  encryptSegment(plain: string): string {
    if (plain === '') return '';
    const bytes = pad(new TextEncoder().encode(plain));
    return encodeName(
      emeTransform(this.keys.nameKey, this.keys.nameTweak, bytes, 'encrypt'),
      this.options.filenameEncoding,
    );
  }

  decryptSegment(encrypted: string): string {
    if (encrypted === '') return '';
    const bytes = decodeName(encrypted, this.options.filenameEncoding);
    const plain =
      bytes && bytes.length > 0 && bytes.length % BLOCK === 0 && bytes.length <= MAX_NAME_BYTES
        ? unpad(emeTransform(this.keys.nameKey, this.keys.nameTweak, bytes, 'decrypt'))
        : undefined;
    const text = plain && decodeUtf8(plain);
    if (text === undefined) throw this.badName(encrypted);
    return text;
  }

  /** A file's path: every segment (or only the last, without directory name encryption). */
  encryptFileName(path: string): string {
    if (this.options.filenameEncryption === 'off') return path + this.options.suffix;
    return this.mapSegments(path, (segment) => this.encryptSegment(segment));
  }

  decryptFileName(path: string): string {
    if (this.options.filenameEncryption === 'off') {
      const { suffix } = this.options;
      if (path.length <= suffix.length || !path.endsWith(suffix)) throw this.badName(path);
      return path.slice(0, path.length - suffix.length);
    }
    return this.mapSegments(path, (segment) => this.decryptSegment(segment));
  }

  /** A folder's path: unchanged unless both file and directory names are encrypted. */
  encryptDirName(path: string): string {
    if (this.options.filenameEncryption === 'off' || !this.options.directoryNameEncryption) return path;
    return this.mapSegments(path, (segment) => this.encryptSegment(segment));
  }

  decryptDirName(path: string): string {
    if (this.options.filenameEncryption === 'off' || !this.options.directoryNameEncryption) return path;
    return this.mapSegments(path, (segment) => this.decryptSegment(segment));
  }

  private mapSegments(path: string, map: (segment: string) => string): string {
    const segments = path.split('/');
    return segments
      .map((segment, i) => {
        const last = i === segments.length - 1;
        if (!last && !this.options.directoryNameEncryption) return segment;
        const versioned = last ? splitVersion(segment) : undefined;
        return versioned ? addVersion(map(versioned.name), versioned.version) : map(segment);
      })
      .join('/');
  }

  private badName(name: string): CryptError {
    const { filenameEncryption, directoryNameEncryption, filenameEncoding } = this.options;
    return new CryptError(
      'bad-name',
      `"${name}" is not a name encrypted with this password and these settings (filename_encryption=` +
        `${filenameEncryption}, directory_name_encryption=${directoryNameEncryption}, filename_encoding=` +
        `${filenameEncoding}); check the password, password2 and name settings of the encrypted destination`,
    );
  }
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
