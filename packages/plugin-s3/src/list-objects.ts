import { ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { keyProblem, type ObjectInfo, TransientError } from '@lifeboat/plugin-api';
import { classify, type S3Context } from './context.js';

/**
 * Every object under `prefix`, page by page (S3 pages at 1,000), with the configured bucket prefix taken off.
 * S3 lists only completed objects (never a multipart upload in progress). Keys that are not valid destination
 * keys (a console's `folder/` placeholder) are not ours and are skipped; a repeated key or continuation token,
 * which only a faulty server sends, is skipped or refused rather than yielded twice or followed forever.
 */
export async function* listObjects(ctx: S3Context, prefix: string): AsyncGenerator<ObjectInfo> {
  const base = ctx.settings.prefix;
  const seen = new Set<string>();
  const tokens = new Set<string>();
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await ctx.client.send(
        new ListObjectsV2Command({
          Bucket: ctx.settings.bucket,
          Prefix: base + prefix,
          ...(token !== undefined ? { ContinuationToken: token } : {}),
        }),
      );
    } catch (error) {
      throw classify(ctx, error, `the listing of ${prefix || 'all objects'}`);
    }
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || !object.Key.startsWith(base)) continue;
      const key = object.Key.slice(base.length);
      if (keyProblem(key) !== undefined || seen.has(key)) continue;
      seen.add(key);
      yield {
        key,
        size: object.Size ?? 0,
        ...(object.LastModified ? { modifiedAt: object.LastModified.toISOString() } : {}),
      };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    if (page.IsTruncated && token === undefined) {
      throw new TransientError(
        `${ctx.server} cut a listing of bucket "${ctx.settings.bucket}" short (no continuation)`,
      );
    }
    if (token !== undefined) {
      if (tokens.has(token))
        throw new TransientError(`${ctx.server} repeated a listing page of bucket "${ctx.settings.bucket}"`);
      tokens.add(token);
    }
  } while (token !== undefined);
}
