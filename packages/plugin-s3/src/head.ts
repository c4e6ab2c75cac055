import { HeadBucketCommand, HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { ErrorCode } from '@lifeboat/plugin-api';
import { codeOf } from './codes.js';
import { classify, type S3Context } from './context.js';

/**
 * HeadObject, with "missing" as undefined. A HEAD answer has no body, so S3 cannot say whether the object or the
 * whole bucket is missing: the first time an object is missing, the bucket is checked once, so a deleted bucket
 * reads as "bucket does not exist" rather than as an empty backup.
 */
export async function headObject(
  ctx: S3Context,
  objectKey: string,
  action: string,
): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await ctx.client.send(new HeadObjectCommand({ Bucket: ctx.settings.bucket, Key: objectKey }));
  } catch (error) {
    const classified = classify(ctx, error, action);
    if (codeOf(classified) !== ErrorCode.NotFound) throw classified;
  }
  await checkBucketOnce(ctx);
  return undefined;
}

export async function objectExists(ctx: S3Context, objectKey: string, action: string): Promise<boolean> {
  return (await headObject(ctx, objectKey, action)) !== undefined;
}

const checkedBuckets = new WeakMap<S3Context, Promise<void>>();

/** HeadBucket once per destination; a failed check is not remembered, so the next call asks again. */
export function checkBucketOnce(ctx: S3Context): Promise<void> {
  let check = checkedBuckets.get(ctx);
  if (!check) {
    check = headBucket(ctx);
    checkedBuckets.set(ctx, check);
    check.catch(() => checkedBuckets.delete(ctx));
  }
  return check;
}

export async function headBucket(ctx: S3Context): Promise<void> {
  try {
    await ctx.client.send(new HeadBucketCommand({ Bucket: ctx.settings.bucket }));
  } catch (error) {
    throw classify(ctx, error, 'the bucket check', true);
  }
}
