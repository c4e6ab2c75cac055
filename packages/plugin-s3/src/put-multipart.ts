import { AlreadyExistsError, checkedBody, type ObjectInfo, type WriteOptions } from '@lifeboat/plugin-api';
import type { S3Context } from './context.js';
import { objectExists } from './head.js';
import { uploadInParts } from './multipart-upload.js';
import { objectParams } from './object-params.js';
import { partSizeFor } from './part-size.js';

/**
 * A large object, streamed as a multipart upload (multipart-upload.ts): memory holds (queueSize + 1) parts
 * whatever the size. S3 shows the object only on CompleteMultipartUpload, which is sent only after the body
 * ended normally; the checked body throws at its end instead when the size or sha256 is wrong (or the key got
 * taken meanwhile), so the upload is aborted and nothing is visible.
 */
export async function putMultipart(
  ctx: S3Context,
  objectKey: string,
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: WriteOptions,
  conditional: boolean,
): Promise<ObjectInfo> {
  const taken = () => new AlreadyExistsError(`An object already exists at ${key} in bucket "${ctx.settings.bucket}"`);
  // Even where the server would refuse the completion, asking first saves uploading gigabytes for nothing.
  if (!options.overwrite && (await objectExists(ctx, objectKey, `the check of ${key}`))) throw taken();
  const checked = checkedBody(body, {
    key,
    alwaysHash: true, // the sha256 is returned and stored even when core did not give one
    size: options.size,
    sha256: options.sha256,
    bodySha256: options.bodySha256, // core's digest of these bytes: no second pass
    signal: options.signal,
    // Without server-side enforcement, look again right before the completion, after hours of upload maybe.
    ...(!options.overwrite && !conditional
      ? {
          beforeEnd: async () => {
            if (await objectExists(ctx, objectKey, `the check of ${key}`)) throw taken();
          },
        }
      : {}),
  });
  await uploadInParts(
    ctx,
    {
      objectKey,
      key,
      partSize: partSizeFor(options.size, ctx.tuning.minPartSize),
      // The sha256 is metadata only when known before the upload starts: S3 fixes metadata at creation.
      createParams: objectParams(ctx.settings, key, options.sha256, options.modifiedAt),
      ifNoneMatch: !options.overwrite && conditional,
    },
    checked.stream,
  );
  const modifiedAt = options.modifiedAt ?? new Date().toISOString();
  return { key, size: options.size, sha256: checked.sha256()!, modifiedAt };
}
