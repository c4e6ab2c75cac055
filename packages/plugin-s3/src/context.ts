import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@lifeboat/plugin-api';
import type { BufferPool } from './buffer-pool.js';
import { classifyS3Error } from './classify-error.js';
import type { KeyLocks } from './key-locks.js';
import type { UploadTuning } from './part-size.js';
import type { S3Settings } from './settings.js';

/** What the destination's operations share: settings, the two clients, and this process's upload bookkeeping. */
export interface S3Context {
  settings: S3Settings;
  /** For calls core retries itself: one attempt each. */
  client: S3Client;
  /** For uploads: a few attempts per request (see client.ts). */
  uploadClient: S3Client;
  /** `127.0.0.1:9000` or `AWS S3 (region)`, for messages. */
  server: string;
  tuning: UploadTuning;
  /** Reused part-sized upload buffers (single PUT bodies and multipart parts). */
  buffers: BufferPool;
  locks: KeyLocks;
  /**
   * The smallest object a single PUT of this destination was refused for as too large (HTTP 413: a server or
   * proxy with a body limit below our single-PUT size); objects from that size on go up in parts.
   */
  singlePutLimit?: number;
  /** Multipart uploads this process started and could not abort: recover() aborts them whatever their age. */
  abandoned: Set<string>;
  logger: Logger | undefined;
}

/** The lock name of an object key: the same bucket may be reached by several destination objects. */
export function lockName(ctx: S3Context, objectKey: string): string {
  return `${ctx.server}/${ctx.settings.bucket}/${objectKey}`;
}

/** Classifies an SDK error for `action`; a helper so every call site names its bucket and server the same way. */
export function classify(ctx: S3Context, error: unknown, action: string, bucketLevel = false): unknown {
  return classifyS3Error(error, { bucket: ctx.settings.bucket, server: ctx.server, action, bucketLevel });
}
