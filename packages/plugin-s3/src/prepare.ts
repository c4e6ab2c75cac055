import { GetObjectLockConfigurationCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { LifeboatError } from '@lifeboat/plugin-api';
import { codeOf, s3CodeOf } from './codes.js';
import { classify, type S3Context } from './context.js';
import { headBucket } from './head.js';

/**
 * The connection test of `destination add`, in the order that gives the clearest error first: the bucket
 * exists and the keys may use it, Object Lock is there when asked for, and only then a probe object is written
 * (so a refused setting writes nothing).
 */
export async function checkBucket(ctx: S3Context): Promise<void> {
  try {
    await headBucket(ctx);
  } catch (error) {
    throw await explainBucketFailure(ctx, error);
  }
  if (ctx.settings.objectLock) await checkObjectLock(ctx);
}

/**
 * A HEAD answer has no body, so a 403 cannot say whether the keys are wrong or only not allowed. A listing
 * answers with the S3 error code (InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied), which tells them apart.
 */
async function explainBucketFailure(ctx: S3Context, headError: unknown): Promise<unknown> {
  if (codeOf(headError) !== 'LIFEBOAT_S3_ACCESS_DENIED') return headError;
  try {
    await ctx.client.send(new ListObjectsV2Command({ Bucket: ctx.settings.bucket, MaxKeys: 1 }));
    return headError;
  } catch (error) {
    return classify(ctx, error, 'the bucket check', true);
  }
}

async function checkObjectLock(ctx: S3Context): Promise<void> {
  const { bucket, objectLock } = ctx.settings;
  let enabled = false;
  try {
    const answer = await ctx.client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    enabled = answer.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  } catch (error) {
    const code = s3CodeOf(error);
    // Not configured (AWS), or a server without Object Lock at all (501): both mean no protection.
    if (code !== 'ObjectLockConfigurationNotFoundError' && code !== 'NotImplemented' && code !== '501') {
      throw classify(ctx, error, 'the Object Lock check', true);
    }
  }
  if (!enabled) {
    throw new LifeboatError(
      'LIFEBOAT_S3_NO_OBJECT_LOCK',
      `The bucket "${bucket}" at ${ctx.server} has no Object Lock, so ${objectLock?.mode} retention cannot be set`,
      { hint: 'Create the bucket with Object Lock enabled, or remove objectLockMode and objectLockDays' },
    );
  }
}
