import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type {
  Destination,
  DestinationDescription,
  Logger,
  ObjectInfo,
  ReadOptions,
  WriteOptions,
} from '@lifeboat/plugin-api';
import { ErrorCode } from '@lifeboat/plugin-api';
import { BufferPool } from './buffer-pool.js';
import {
  CONTROL_ATTEMPTS,
  createS3Client,
  DEFAULT_TIMEOUTS,
  type S3Credentials,
  type S3Timeouts,
  serverLabel,
  UPLOAD_ATTEMPTS,
} from './client.js';
import { classify, lockName, type S3Context } from './context.js';
import { headObject } from './head.js';
import { processKeyLocks } from './key-locks.js';
import { objectKey } from './keys.js';
import { listObjects } from './list-objects.js';
import { mtimeFromMetadata, sha256FromMetadata } from './object-params.js';
import { DEFAULT_TUNING, isSinglePut, type UploadTuning } from './part-size.js';
import { checkBucket } from './prepare.js';
import { probeWrites } from './probe.js';
import { putMultipart } from './put-multipart.js';
import { putSingle } from './put-single.js';
import { readObject } from './read-object.js';
import { abortStaleUploads } from './recover.js';
import type { S3Settings } from './settings.js';

export interface S3DestinationOptions {
  settings: S3Settings;
  credentials: S3Credentials;
  logger?: Logger;
  /** Part sizes and parallelism; the defaults suit real use, tests shrink them to exercise multipart cheaply. */
  tuning?: Partial<UploadTuning>;
  /** Connection and idle-socket deadlines; the defaults suit real use, tests shorten them. */
  timeouts?: Partial<S3Timeouts>;
}

/**
 * Copies as plain objects in a bucket of any S3-compatible store: the key of a copy is `prefix + key`, so the
 * bucket reads like the disk destination's folder. Writes are atomic through S3 itself (an object appears only
 * when its PUT or multipart upload completes; see put-single.ts and put-multipart.ts), and each classifies its
 * errors (classify-error.ts) so core's retry wrapper can do the retrying.
 */
export class S3Destination implements Destination {
  private readonly ctx: S3Context;
  /** Whether the server enforces `If-None-Match: *`: AWS does; other servers are asked once (probe.ts). */
  private conditional: Promise<boolean> | undefined;

  constructor(options: S3DestinationOptions) {
    const { settings, credentials } = options;
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.ctx = {
      settings,
      client: createS3Client(settings, credentials, CONTROL_ATTEMPTS, timeouts),
      uploadClient: createS3Client(settings, credentials, UPLOAD_ATTEMPTS, timeouts),
      server: serverLabel(settings),
      tuning,
      // Room for the parts of two uploads at once; the core's other files in flight allocate beyond that.
      buffers: new BufferPool(tuning.minPartSize, 2 * (tuning.queueSize + 1)),
      locks: processKeyLocks,
      abandoned: new Set(),
      logger: options.logger,
    };
    if (settings.endpoint === undefined) this.conditional = Promise.resolve(true);
  }

  async describe(): Promise<DestinationDescription> {
    const { bucket, prefix, endpoint, offsite, medium, layout } = this.ctx.settings;
    const host = endpoint === undefined ? undefined : new URL(endpoint).host;
    return {
      location: `s3://${bucket}/${prefix}${host === undefined ? '' : ` at ${host}`}`,
      medium: medium ?? `s3:${host ?? 'aws'}/${bucket}`,
      mediumKind: 'cloud',
      offsite,
      layout,
    };
  }

  /** The connection test of `destination add`: bucket, keys, Object Lock, then a probe write/read/delete. */
  async prepare(): Promise<void> {
    await checkBucket(this.ctx);
    const enforced = await probeWrites(this.ctx);
    this.conditional = Promise.resolve(enforced);
  }

  async recover(): Promise<void> {
    const aborted = await abortStaleUploads(this.ctx);
    if (aborted > 0) this.ctx.logger?.info('aborted interrupted multipart uploads', { count: aborted });
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const head = await headObject(this.ctx, objectKey(this.ctx.settings.prefix, key), `the stat of ${key}`);
    if (head === undefined) return undefined;
    const sha256 = sha256FromMetadata(head.Metadata);
    // The time the object was written with (rclone's `mtime`), else when the store received it.
    const modifiedAt = mtimeFromMetadata(head.Metadata) ?? head.LastModified?.toISOString();
    return {
      key,
      size: head.ContentLength ?? 0,
      ...(sha256 !== undefined ? { sha256 } : {}),
      ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    };
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    const full = objectKey(this.ctx.settings.prefix, key);
    if (!Number.isSafeInteger(options.size) || options.size < 0) throw new RangeError(`Invalid size ${options.size}`);
    options.signal?.throwIfAborted();
    return this.ctx.locks.run(lockName(this.ctx, full), async () => {
      options.signal?.throwIfAborted();
      const conditional = options.overwrite ? false : await this.conditionalWrites();
      const single = isSinglePut(options.size, this.ctx.tuning) && options.size < (this.ctx.singlePutLimit ?? Infinity);
      const put = single ? putSingle : putMultipart;
      return put(this.ctx, full, key, body, options, conditional);
    });
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    return readObject(this.ctx, objectKey(this.ctx.settings.prefix, key), key, options);
  }

  list(prefix = ''): AsyncIterable<ObjectInfo> {
    return listObjects(this.ctx, prefix);
  }

  /** Idempotent: S3 answers a delete of a missing key with success. */
  async delete(key: string): Promise<void> {
    const full = objectKey(this.ctx.settings.prefix, key);
    try {
      await this.ctx.client.send(new DeleteObjectCommand({ Bucket: this.ctx.settings.bucket, Key: full }));
    } catch (error) {
      const classified = classify(this.ctx, error, `the deletion of ${key}`);
      if ((classified as { code?: unknown }).code !== ErrorCode.NotFound) throw classified;
    }
  }

  async close(): Promise<void> {
    this.ctx.client.destroy();
    this.ctx.uploadClient.destroy();
  }

  /** Asked once per destination object; a failed probe is asked again by the next write. */
  private conditionalWrites(): Promise<boolean> {
    if (!this.conditional) {
      const probe = probeWrites(this.ctx);
      this.conditional = probe;
      probe.catch(() => {
        if (this.conditional === probe) this.conditional = undefined;
      });
    }
    return this.conditional;
  }
}
