import { createHash } from 'node:crypto';
import {
  BLOCK_DATA_SIZE,
  BLOCK_SIZE,
  CryptError,
  decryptedSize,
  encryptedSize,
  HEADER_SIZE,
  type RcloneCrypt,
  readHeader,
} from '@lifeboat/crypt';
import {
  type Destination,
  type DestinationDescription,
  IntegrityError,
  type ObjectInfo,
  type ReadOptions,
  validateKey,
  type WriteOptions,
} from '@lifeboat/plugin-api';

/**
 * Puts any destination behind rclone's crypt format, so every plugin gets encryption without a line of its own:
 * keys are encrypted as rclone encrypts file paths, bodies in rclone's 64 KiB sealed blocks, and everything the
 * caller sees (keys, sizes, sha256, bytes) is the plain view. The wrapped store holds exactly what `rclone copy`
 * to a crypt remote with the same passwords would hold, so rclone reads it without Lifeboat.
 */
export class EncryptingDestination implements Destination {
  constructor(
    readonly inner: Destination,
    private readonly crypt: RcloneCrypt,
  ) {}

  describe(): Promise<DestinationDescription> {
    return this.inner.describe();
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    // Checked in the clear: once encrypted, `..` or an empty segment would pass as a harmless name.
    validateKey(key);
    const info = await this.inner.stat(this.crypt.names.encryptFileName(key));
    return info && this.plainInfo(key, info);
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    validateKey(key);
    const { size, sha256 } = options;
    const ownHash = sha256 && !options.bodySha256 ? createHash('sha256') : undefined;
    // The plain bytes are counted and checked before the last block is sealed: a wrong body throws inside the
    // inner write, which then leaves nothing visible (the Destination contract).
    async function* checked(): AsyncGenerator<Uint8Array> {
      let count = 0;
      for await (const chunk of body) {
        count += chunk.length;
        if (count > size) throw new IntegrityError(`"${key}": the body is longer than the ${size} bytes announced`);
        ownHash?.update(chunk);
        yield chunk;
      }
      if (count !== size) throw new IntegrityError(`"${key}": the body ended at ${count} of ${size} bytes`);
      const digest = ownHash ? ownHash.digest('hex') : options.bodySha256?.();
      if (sha256 && digest !== undefined && digest !== sha256) {
        throw new IntegrityError(`"${key}": the body's sha256 is ${digest}, not the ${sha256} announced`);
      }
    }
    // Stores that sign uploads want the stored (encrypted) bytes' digest: hashed on the way, never read twice.
    const stored = createHash('sha256');
    let storedDigest: string | undefined;
    const crypt = this.crypt;
    async function* encrypted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of crypt.encrypt(checked())) {
        stored.update(chunk);
        yield chunk;
      }
      storedDigest = stored.digest('hex');
    }
    // `modifiedAt` stays behind on purpose: a capture time on the stored object would show the dates the
    // encryption hides. A restore still dates each file from the (encrypted) index.
    const info = await this.inner.write(this.crypt.names.encryptFileName(key), encrypted(), {
      size: encryptedSize(size),
      bodySha256: () => storedDigest,
      ...(options.overwrite !== undefined ? { overwrite: options.overwrite } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...this.plainInfo(key, info), ...(sha256 ? { sha256 } : {}) };
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    validateKey(key);
    const encryptedKey = this.crypt.names.encryptFileName(key);
    const { offset = 0, length, signal } = options;
    if (offset === 0 && length === undefined) {
      return this.guarded(key, this.crypt.decrypt(await this.inner.read(encryptedKey, signal ? { signal } : {})));
    }
    // A range: the header's nonce, then only the blocks that hold the range.
    const header = await collect(
      await this.inner.read(encryptedKey, { length: HEADER_SIZE, ...(signal && { signal }) }),
    );
    const nonce = this.guard(key, () => readHeader(header));
    const firstBlock = Math.floor(offset / BLOCK_DATA_SIZE);
    const skip = offset - firstBlock * BLOCK_DATA_SIZE;
    const blocks = length === undefined ? undefined : Math.ceil((skip + length) / BLOCK_DATA_SIZE);
    if (blocks === 0) return (async function* () {})();
    const body = await this.inner.read(encryptedKey, {
      offset: HEADER_SIZE + firstBlock * BLOCK_SIZE,
      ...(blocks !== undefined ? { length: blocks * BLOCK_SIZE } : {}),
      ...(signal ? { signal } : {}),
    });
    return this.guarded(key, slice(this.crypt.decryptFromBlock(body, nonce, firstBlock), skip, length));
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    // Encrypted keys keep the folders but not the prefixes of names: list the prefix's folder, filter in the clear.
    const slash = prefix.lastIndexOf('/');
    const folder = slash < 0 ? '' : `${this.crypt.names.encryptDirName(prefix.slice(0, slash))}/`;
    for await (const info of this.inner.list(folder)) {
      let key: string;
      try {
        key = this.crypt.names.decryptFileName(info.key);
      } catch (error) {
        if (error instanceof CryptError) continue; // not ours (a note left in the bucket): rclone skips it too
        throw error;
      }
      if (key.startsWith(prefix)) yield this.plainInfo(key, info);
    }
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    return this.inner.delete(this.crypt.names.encryptFileName(key));
  }

  async prepare(): Promise<void> {
    await this.inner.prepare?.();
  }

  async recover(): Promise<void> {
    await this.inner.recover?.();
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }

  /** The plain view of a stored object: its sha256 (of encrypted bytes) means nothing to callers. */
  private plainInfo(key: string, info: ObjectInfo): ObjectInfo {
    const size = this.guard(key, () => decryptedSize(info.size));
    return { key, size, ...(info.modifiedAt ? { modifiedAt: info.modifiedAt } : {}) };
  }

  /** Format errors become IntegrityError: the copy is damaged (or the password wrong), which verify reports. */
  private guard<T>(key: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw this.integrity(key, error);
    }
  }

  private async *guarded(key: string, body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    try {
      yield* body;
    } catch (error) {
      throw this.integrity(key, error);
    }
  }

  private integrity(key: string, error: unknown): unknown {
    if (!(error instanceof CryptError)) return error;
    return new IntegrityError(`"${key}" cannot be decrypted: ${error.message}`, {
      hint: 'Repair it from another destination (`lifeboat repair`), or check the encryption password',
      cause: error,
    });
  }
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

/** Drops `skip` bytes, then gives at most `length` bytes. */
async function* slice(body: AsyncIterable<Uint8Array>, skip: number, length: number | undefined) {
  let toSkip = skip;
  let left = length ?? Number.POSITIVE_INFINITY;
  for await (const chunk of body) {
    const start = Math.min(toSkip, chunk.length);
    toSkip -= start;
    const part = chunk.subarray(start, start + Math.min(left, chunk.length - start));
    left -= part.length;
    if (part.length > 0) yield part;
    if (left <= 0) return;
  }
}
