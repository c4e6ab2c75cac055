import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { TransientError } from '@lifeboat/plugin-api';
import { s3CodeOf } from './codes.js';
import { classify, type S3Context } from './context.js';
import { PartPool } from './part-pool.js';
import { wantsContentMd5 } from './transport-checksum.js';

export interface MultipartTarget {
  objectKey: string;
  /** The destination key, for messages. */
  key: string;
  partSize: number;
  /** What CreateMultipartUpload carries: metadata, storage class, encryption, retention. */
  createParams: Omit<CreateMultipartUploadCommandInput, 'Bucket' | 'Key'>;
  /** Send `If-None-Match: *` with the completion: the server refuses it if the key exists by then. */
  ifNoneMatch: boolean;
}

/**
 * The S3 multipart protocol over a stream of chunks: parts are filled from a pool of (queueSize + 1) buffers and
 * each uploads as soon as it is full, so memory stays at (queueSize + 1) × partSize whatever the size, and the
 * next part fills while `queueSize` upload (all of them upload when the source is faster). The upload is
 * created when the first part is full (a body that fails earlier leaves nothing at all on the server) and
 * completed only once the stream ended normally; on any failure, the parts in flight are cancelled and the upload
 * aborted before the error is thrown, so no part can land after the abort.
 *
 * `chunks` is expected to be a checked body (core's checkedBody): it throws instead of ending when the bytes are
 * wrong, which is what keeps a bad upload from ever being completed.
 */
export async function uploadInParts(
  ctx: S3Context,
  target: MultipartTarget,
  chunks: AsyncIterable<Uint8Array>,
): Promise<void> {
  const upload = new PartUploads(ctx, target);
  try {
    await upload.feed(chunks);
    await upload.complete();
  } catch (error) {
    await upload.cancel();
    throw error;
  } finally {
    upload.releaseBuffers(); // every part settled by now (feed waits for them, cancel too)
  }
}

class PartUploads {
  private readonly pool: PartPool;
  private readonly cancelParts = new AbortController();
  private readonly parts: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private created: Promise<string> | undefined;
  private failure: unknown;
  private readonly bucket: string;
  /** `when_required` mode: no flexible checksum; each part travels under its SigV4 payload sha256 instead. */
  private readonly whenRequired: boolean;
  /** Content-MD5 on each part too (transport-checksum.ts says when). */
  private readonly md5: boolean;

  constructor(
    private readonly ctx: S3Context,
    private readonly target: MultipartTarget,
  ) {
    this.pool = new PartPool(target.partSize, ctx.tuning.queueSize + 1, ctx.buffers);
    this.bucket = ctx.settings.bucket;
    this.whenRequired = ctx.settings.checksumMode === 'when_required';
    this.md5 = wantsContentMd5(ctx.settings);
  }

  async feed(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const { partSize } = this.target;
    let buffer = await this.pool.take();
    let fill = 0;
    let partNumber = 0;
    for await (const chunk of chunks) {
      for (let offset = 0; offset < chunk.length; ) {
        const n = Math.min(chunk.length - offset, partSize - fill);
        buffer.set(chunk.subarray(offset, offset + n), fill);
        fill += n;
        offset += n;
        if (fill === partSize) {
          this.send(buffer, fill, ++partNumber);
          buffer = await this.pool.take();
          fill = 0;
        }
        this.throwIfFailed();
      }
    }
    if (fill > 0 || partNumber === 0) this.send(buffer, fill, ++partNumber);
    else this.pool.give(buffer);
    await Promise.allSettled([...this.inFlight]);
    this.throwIfFailed();
  }

  async complete(): Promise<void> {
    const uploadId = await this.uploadId();
    const parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    try {
      await this.ctx.uploadClient.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.target.objectKey,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
          ...(this.target.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
      );
    } catch (error) {
      throw classify(this.ctx, error, `completion of the upload of ${this.target.key}`);
    }
    this.created = undefined; // complete: nothing left to abort
  }

  releaseBuffers(): void {
    this.pool.release();
  }

  /** Stops the parts in flight, waits for them to settle, then aborts the upload (or leaves it for recover()). */
  async cancel(): Promise<void> {
    this.cancelParts.abort();
    await Promise.allSettled([...this.inFlight]);
    const uploadId = await this.created?.catch(() => undefined);
    if (uploadId !== undefined) await abortUpload(this.ctx, this.target.objectKey, uploadId);
  }

  private send(buffer: Buffer, length: number, partNumber: number): void {
    const body = buffer.subarray(0, length);
    const sending = this.uploadPart(body, partNumber).then(
      (part) => {
        this.parts.push(part);
        this.pool.give(buffer);
      },
      (error: unknown) => {
        this.failure ??= classify(this.ctx, error, `upload of part ${partNumber} of ${this.target.key}`);
        this.cancelParts.abort();
        this.pool.give(buffer); // wakes a feeder waiting for a buffer, which then sees the failure
      },
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  private async uploadPart(body: Buffer, partNumber: number): Promise<CompletedPart> {
    const answer = await this.ctx.uploadClient.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.target.objectKey,
        UploadId: await this.uploadId(),
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
        ...(this.md5 ? { ContentMD5: createHash('md5').update(body).digest('base64') } : {}),
        ...(this.whenRequired ? {} : { ChecksumAlgorithm: 'CRC32' as const }),
      }),
      { abortSignal: this.cancelParts.signal },
    );
    if (!answer.ETag) throw new TransientError(`${this.ctx.server} answered part ${partNumber} without an ETag`);
    return {
      PartNumber: partNumber,
      ETag: answer.ETag,
      ...(answer.ChecksumCRC32 ? { ChecksumCRC32: answer.ChecksumCRC32 } : {}),
    };
  }

  /** Creates the upload on first use (the first full part), once. */
  private uploadId(): Promise<string> {
    this.created ??= this.create();
    return this.created;
  }

  private async create(): Promise<string> {
    try {
      const answer = await this.ctx.uploadClient.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.target.objectKey,
          ...this.target.createParams,
          ...(this.whenRequired ? {} : { ChecksumAlgorithm: 'CRC32' as const }),
        }),
      );
      if (!answer.UploadId) throw new TransientError(`${this.ctx.server} started an upload without an UploadId`);
      return answer.UploadId;
    } catch (error) {
      throw classify(this.ctx, error, `start of the upload of ${this.target.key}`);
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Aborts an upload; one that cannot be aborted now (the network that failed it) is left for recover(). */
export async function abortUpload(ctx: S3Context, objectKey: string, uploadId: string): Promise<void> {
  try {
    await ctx.client.send(
      new AbortMultipartUploadCommand({ Bucket: ctx.settings.bucket, Key: objectKey, UploadId: uploadId }),
    );
  } catch (error) {
    if (s3CodeOf(error) === 'NoSuchUpload') return; // already gone
    ctx.abandoned.add(uploadId);
    ctx.logger?.warn('could not abort a failed multipart upload; the next run removes it', {
      key: objectKey,
      error: String(classify(ctx, error, 'abort of an upload')),
    });
  }
}
