import { createHash, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ErrorCode, IntegrityError } from '@lifeboat/plugin-api';
import { codeOf } from './codes.js';
import { classify, type S3Context } from './context.js';
import { META_DIR } from './keys.js';
import { putBuffer } from './put-single.js';

/**
 * Writes, reads back and deletes a probe object under `<prefix>.lifeboat/`, which proves the credentials may do
 * all three, and learns whether the server enforces `If-None-Match: *` (no overwrite): a second conditional PUT
 * of the same key must be refused with 412. AWS, R2 and MinIO refuse it; some servers ignore the header (the
 * second PUT succeeds) or reject it (501). Returns whether the server enforces it.
 */
export async function probeWrites(ctx: S3Context): Promise<boolean> {
  const key = `${META_DIR}probe-${randomUUID()}`;
  const objectKey = ctx.settings.prefix + key;
  const first = Buffer.from(`lifeboat connection test ${new Date().toISOString()}\n`);
  const versions: (string | undefined)[] = [];
  const put = async (data: Buffer, ifNoneMatch: boolean) => {
    const sha256 = createHash('sha256').update(data).digest('hex');
    versions.push((await putBuffer(ctx, objectKey, key, data, { sha256, ifNoneMatch })).VersionId);
  };
  try {
    let enforced = true;
    try {
      await put(first, true);
    } catch (error) {
      if (codeOf(error) !== 'LIFEBOAT_S3_NOT_SUPPORTED') throw error;
      enforced = false; // the server rejects the header itself: plain PUTs from now on
      await put(first, false);
    }
    await readBack(ctx, objectKey, key, first);
    if (enforced) {
      try {
        await put(Buffer.from('second write of the probe\n'), true);
        enforced = false; // accepted: the header was ignored
      } catch (error) {
        if (codeOf(error) !== ErrorCode.AlreadyExists && codeOf(error) !== 'LIFEBOAT_S3_NOT_SUPPORTED') throw error;
        enforced = codeOf(error) === ErrorCode.AlreadyExists;
      }
    }
    return enforced;
  } finally {
    await removeProbe(ctx, objectKey, versions);
  }
}

async function readBack(ctx: S3Context, objectKey: string, key: string, expected: Buffer): Promise<void> {
  let text: Uint8Array;
  try {
    const answer = await ctx.client.send(new GetObjectCommand({ Bucket: ctx.settings.bucket, Key: objectKey }));
    text = (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (error) {
    throw classify(ctx, error, `the read-back of ${key}`);
  }
  if (!expected.equals(text)) {
    throw new IntegrityError(`${ctx.server} returned other bytes than were written to ${key}`, {
      hint: 'The server does not keep what it is given; try checksumMode=when_required, or another service',
    });
  }
}

/** Deletes the probe, and its versions in a versioned bucket (Object Lock buckets are versioned). */
async function removeProbe(ctx: S3Context, objectKey: string, versions: (string | undefined)[]): Promise<void> {
  const Bucket = ctx.settings.bucket;
  for (const VersionId of versions) {
    if (VersionId === undefined || VersionId === 'null') continue;
    await ctx.client.send(new DeleteObjectCommand({ Bucket, Key: objectKey, VersionId })).catch(() => {});
  }
  try {
    await ctx.client.send(new DeleteObjectCommand({ Bucket, Key: objectKey }));
  } catch (error) {
    throw classify(ctx, error, `the removal of the probe ${objectKey}`);
  }
}
