import { createHash } from 'node:crypto';
import { PutObjectCommand, type PutObjectCommandOutput } from '@aws-sdk/client-s3';
import { AlreadyExistsError, checkedBody, type ObjectInfo, type WriteOptions } from '@lifeboat/plugin-api';
import { httpStatusOf } from './codes.js';
import { classify, type S3Context } from './context.js';
import { objectExists } from './head.js';
import { objectParams } from './object-params.js';
import { putMultipart } from './put-multipart.js';
import { signWithPayloadSha256, wantsContentMd5 } from './transport-checksum.js';

/**
 * An object smaller than the parts a multipart upload would hold (part-size.ts): the body is collected in memory,
 * checked, then sent in one PUT with a known length, its sha256 as metadata and a transport checksum. Nothing
 * reaches the server before the whole body arrived and passed its checks, so a failed write leaves nothing.
 */
export async function putSingle(
  ctx: S3Context,
  objectKey: string,
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: WriteOptions,
  conditional: boolean,
): Promise<ObjectInfo> {
  const checked = checkedBody(body, {
    key,
    alwaysHash: true, // signs the PUT and is stored with it
    size: options.size,
    sha256: options.sha256,
    bodySha256: options.bodySha256, // core's digest of these bytes: no second pass
    signal: options.signal,
  });
  // Bodies of a few MiB come from the pool (see buffer-pool.ts); a small one takes no part-sized buffer.
  const pooled = options.size >= ctx.buffers.size / 4 && options.size <= ctx.buffers.size;
  const buffer = pooled ? ctx.buffers.take() : Buffer.allocUnsafe(options.size);
  // Without server-side enforcement, look (HEAD) while the body arrives rather than after it: the answer is as
  // good (see key-locks.ts for the rest of the story), and its round trip no longer holds up every PUT.
  const taken = !options.overwrite && !conditional ? objectExists(ctx, objectKey, `the check of ${key}`) : undefined;
  taken?.catch(() => {}); // awaited below, unless the body fails first
  try {
    const data = buffer.subarray(0, options.size);
    let offset = 0;
    for await (const chunk of checked.stream) {
      data.set(chunk, offset); // checkedBody throws before yielding more than `size` bytes
      offset += chunk.length;
    }
    const sha256 = checked.sha256()!;
    if (await taken) {
      throw new AlreadyExistsError(`An object already exists at ${key} in bucket "${ctx.settings.bucket}"`);
    }
    try {
      await putBuffer(ctx, objectKey, key, data, {
        sha256,
        ifNoneMatch: !options.overwrite && conditional,
        ...(options.modifiedAt !== undefined ? { modifiedAt: options.modifiedAt } : {}),
      });
    } catch (error) {
      if (!(error instanceof TooLargeForOnePut)) throw error;
      ctx.singlePutLimit = Math.min(ctx.singlePutLimit ?? Infinity, options.size);
      ctx.logger?.warn('the server refused an object this size in one PUT: from this size on, objects go in parts', {
        server: ctx.server,
        size: options.size,
      });
      // The checked bytes, again, through the multipart path with its own checks (rare: once per size learnt).
      return await putMultipart(ctx, objectKey, key, once(data), { ...options, sha256 }, conditional);
    }
    return { key, size: options.size, sha256, modifiedAt: options.modifiedAt ?? new Date().toISOString() };
  } finally {
    if (pooled) ctx.buffers.give(buffer); // the PUT settled (the SDK's own retries included): nothing reads it
  }
}

/**
 * One PUT of bytes in memory. The transport checksum lets the server refuse bytes damaged on the way, from the
 * sha256 we already have, so the SDK hashes nothing itself: in `when_required` mode as the SigV4 payload hash
 * (plus Content-MD5 where AWS demands it: see transport-checksum.ts), in `when_supported` mode as ChecksumSHA256.
 */
export async function putBuffer(
  ctx: S3Context,
  objectKey: string,
  key: string,
  data: Buffer,
  { sha256, ifNoneMatch, modifiedAt }: { sha256: string; ifNoneMatch: boolean; modifiedAt?: string },
): Promise<PutObjectCommandOutput> {
  const whenRequired = ctx.settings.checksumMode === 'when_required';
  const checksum = whenRequired
    ? wantsContentMd5(ctx.settings)
      ? { ContentMD5: createHash('md5').update(data).digest('base64') }
      : {}
    : { ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64') };
  const command = new PutObjectCommand({
    Bucket: ctx.settings.bucket,
    Key: objectKey,
    Body: data,
    ContentLength: data.length,
    ...objectParams(ctx.settings, key, sha256, modifiedAt),
    ...checksum,
    ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
  });
  try {
    return await ctx.uploadClient.send(whenRequired ? signWithPayloadSha256(command, sha256) : command);
  } catch (error) {
    if (httpStatusOf(error) === 413) throw new TooLargeForOnePut(classify(ctx, error, `upload of ${key}`));
    throw classify(ctx, error, `upload of ${key}`);
  }
}

/** A server (or a proxy before it) refused a single PUT for its size: HTTP 413, EntityTooLarge. */
class TooLargeForOnePut extends Error {
  constructor(readonly refusal: unknown) {
    super(refusal instanceof Error ? refusal.message : String(refusal)); // what a caller that does not fall back shows
  }
}

async function* once(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}
