import { Duplex } from 'node:stream';
import { decryptBlocks, decryptBody, encryptBody } from './body.js';
import { CryptError } from './errors.js';
import { type CryptKeys, deriveKeys } from './keys.js';
import { DEFAULT_NAME_OPTIONS, NameCipher, type NameOptions } from './names.js';

/** A crypt remote's settings, as in rclone.conf but with the passwords in the clear. */
export interface CryptSettings extends Partial<NameOptions> {
  /** `password`. */
  readonly password: string;
  /** `password2`, rclone's optional salt; '' or absent for rclone's built-in salt. */
  readonly password2?: string;
}

/**
 * rclone's crypt format for one remote: names and bodies encrypted exactly as `rclone` with the same password(s)
 * and settings writes and reads them.
 */
export class RcloneCrypt {
  readonly names: NameCipher;

  private constructor(
    private readonly keys: CryptKeys,
    options: NameOptions,
  ) {
    this.names = new NameCipher(keys, options);
  }

  /** Derives the keys with scrypt (a fraction of a second; it yields to the event loop while it works). */
  static async create(settings: CryptSettings): Promise<RcloneCrypt> {
    if (settings.password === '') {
      throw new CryptError('bad-password', 'the encryption password is empty: set a password (and keep a copy of it)');
    }
    return RcloneCrypt.fromKeys(await deriveKeys(settings.password, settings.password2 ?? ''), settings);
  }

  /** From keys already derived (tests use rclone's all-zero keys of an empty password). */
  static fromKeys(keys: CryptKeys, options: Partial<NameOptions> = {}): RcloneCrypt {
    return new RcloneCrypt(keys, { ...DEFAULT_NAME_OPTIONS, ...options });
  }

  /** The encrypted body of a plain byte stream (memory: one 64 KiB block). */
  encrypt(source: AsyncIterable<Uint8Array>, nonce?: Uint8Array): AsyncGenerator<Uint8Array> {
    return encryptBody(source, this.keys.dataKey, nonce);
  }

  /** The plain bytes of an encrypted body; throws CryptError on a damaged block or a wrong password. */
  decrypt(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    return decryptBody(source, this.keys.dataKey);
  }

  /**
   * The plain bytes of whole blocks read from an encrypted object, starting at block `firstBlock` (0-based), given
   * the nonce from the object's header (readHeader): ranged reads without decrypting from the start.
   */
  decryptFromBlock(source: AsyncIterable<Uint8Array>, headerNonce: Uint8Array, firstBlock: number) {
    return decryptBlocks(source, this.keys.dataKey, headerNonce, firstBlock);
  }

  /** `encrypt` as a Node transform stream, for pipeline(). */
  encryptStream(): Duplex {
    return Duplex.from((source: AsyncIterable<Uint8Array>) => this.encrypt(source));
  }

  /** `decrypt` as a Node transform stream, for pipeline(). */
  decryptStream(): Duplex {
    return Duplex.from((source: AsyncIterable<Uint8Array>) => this.decrypt(source));
  }
}
