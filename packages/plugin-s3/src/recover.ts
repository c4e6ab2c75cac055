import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  ListPartsCommand,
  type MultipartUpload,
} from '@aws-sdk/client-s3';
import { ErrorCode } from '@lifeboat/plugin-api';
import { codeOf, s3CodeOf } from './codes.js';
import { classify, lockName, type S3Context } from './context.js';

/** An upload nobody touched for this long is taken as abandoned (a killed run), unless this process writes it. */
export const STALE_UPLOAD_MS = 15 * 60_000;

/**
 * Aborts multipart uploads that interrupted writes left under the prefix: invisible, but billed for their parts.
 * An upload is abandoned when this process started it and could not abort it, or when it is older than
 * STALE_UPLOAD_MS and none of its parts is recent (another process's hours-long video upload is left alone).
 * Uploads of keys this process is writing right now are never touched. Housekeeping only: a server that cannot
 * list uploads (fauxqs, or keys without s3:ListBucketMultipartUploads) is logged, not fatal.
 */
export async function abortStaleUploads(ctx: S3Context, now = Date.now()): Promise<number> {
  let aborted = 0;
  try {
    for await (const upload of listUploads(ctx)) {
      const { Key, UploadId } = upload;
      if (Key === undefined || UploadId === undefined || ctx.locks.busy(lockName(ctx, Key))) continue;
      if (ctx.abandoned.has(UploadId) || (await isStale(ctx, upload, now))) {
        await ctx.client
          .send(new AbortMultipartUploadCommand({ Bucket: ctx.settings.bucket, Key, UploadId }))
          .catch((error) => {
            if (s3CodeOf(error) !== 'NoSuchUpload') throw error;
          });
        ctx.abandoned.delete(UploadId);
        aborted++;
      }
    }
  } catch (error) {
    const classified = classify(ctx, error, 'the clean-up of interrupted uploads');
    const code = codeOf(classified);
    // Unavailable or transient: core's retry wrapper tries again, and the run reports the destination.
    if (code === ErrorCode.DestinationUnavailable || code === ErrorCode.Transient) throw classified;
    ctx.logger?.warn('could not clean up interrupted uploads', { error: String(classified) });
  }
  return aborted;
}

async function isStale(ctx: S3Context, upload: MultipartUpload, now: number): Promise<boolean> {
  const started = upload.Initiated?.getTime();
  if (started === undefined || now - started < STALE_UPLOAD_MS) return false;
  try {
    const parts = await ctx.client.send(
      new ListPartsCommand({ Bucket: ctx.settings.bucket, Key: upload.Key, UploadId: upload.UploadId }),
    );
    const latest = Math.max(0, ...(parts.Parts ?? []).map((p) => p.LastModified?.getTime() ?? 0));
    return now - latest >= STALE_UPLOAD_MS;
  } catch {
    return true; // no ListParts here: go by the upload's age alone
  }
}

async function* listUploads(ctx: S3Context): AsyncGenerator<MultipartUpload> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page: ListMultipartUploadsCommandOutput = await ctx.client.send(
      new ListMultipartUploadsCommand({
        Bucket: ctx.settings.bucket,
        Prefix: ctx.settings.prefix,
        ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
        ...(uploadIdMarker !== undefined ? { UploadIdMarker: uploadIdMarker } : {}),
      }),
    );
    yield* page.Uploads ?? [];
    if (!page.IsTruncated || (page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === uploadIdMarker)) return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}
