import { describe, expect, it } from 'vitest';
import { abortStaleUploads, STALE_UPLOAD_MS } from './recover.js';
import { type Reply, s3Error, stubContext } from './test-helpers/stub-context.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms);
const MINUTE = 60_000;

function uploads(list: { Key: string; UploadId: string; Initiated: Date }[], parts: Record<string, Date[]> = {}) {
  return {
    ListMultipartUploadsCommand: () => ({ Uploads: list, IsTruncated: false }),
    ListPartsCommand: (input: Record<string, unknown>) => ({
      Parts: (parts[String(input.UploadId)] ?? []).map((LastModified, i) => ({ PartNumber: i + 1, LastModified })),
    }),
    AbortMultipartUploadCommand: () => ({}),
  } satisfies Record<string, Reply>;
}
const abortedIds = (sent: { command: string; input: Record<string, unknown> }[]) =>
  sent.filter((s) => s.command === 'AbortMultipartUploadCommand').map((s) => s.input.UploadId);

describe('recover: aborting interrupted multipart uploads', () => {
  it('aborts uploads idle for longer than the stale age, and keeps recent ones', async () => {
    const { ctx, sent } = stubContext(
      uploads([
        { Key: 'p/old.mov', UploadId: 'old', Initiated: ago(STALE_UPLOAD_MS + MINUTE) },
        { Key: 'p/new.mov', UploadId: 'new', Initiated: ago(2 * MINUTE) },
      ]),
      { prefix: 'p' },
    );
    expect(await abortStaleUploads(ctx, NOW)).toBe(1);
    expect(abortedIds(sent)).toEqual(['old']);
    expect(sent[0]).toMatchObject({ command: 'ListMultipartUploadsCommand', input: { Prefix: 'p/' } });
  });

  it("leaves an old upload alone while its parts keep arriving (another process's long video)", async () => {
    const { ctx, sent } = stubContext(
      uploads([{ Key: 'long.mov', UploadId: 'long', Initiated: ago(5 * 60 * MINUTE) }], { long: [ago(MINUTE)] }),
    );
    expect(await abortStaleUploads(ctx, NOW)).toBe(0);
    expect(abortedIds(sent)).toEqual([]);
  });

  it('aborts at once what this process could not abort itself, unless it is writing that key again', async () => {
    const { ctx, sent } = stubContext(
      uploads([
        { Key: 'a.mov', UploadId: 'mine', Initiated: ago(MINUTE) },
        { Key: 'b.mov', UploadId: 'busy', Initiated: ago(10 * 60 * MINUTE) },
      ]),
    );
    ctx.abandoned.add('mine');
    let release!: () => void;
    const writing = ctx.locks.run(`${ctx.server}/photos/b.mov`, () => new Promise<void>((r) => (release = r)));
    expect(await abortStaleUploads(ctx, NOW)).toBe(1);
    expect(abortedIds(sent)).toEqual(['mine']);
    expect(ctx.abandoned.size).toBe(0);
    release();
    await writing;
  });

  it('goes by age alone where the server has no ListParts', async () => {
    const replies = uploads([{ Key: 'x.mov', UploadId: 'x', Initiated: ago(STALE_UPLOAD_MS + MINUTE) }]);
    const { ctx, sent } = stubContext({
      ...replies,
      ListPartsCommand: () => {
        throw s3Error('NotImplemented', 501);
      },
    });
    expect(await abortStaleUploads(ctx, NOW)).toBe(1);
    expect(abortedIds(sent)).toEqual(['x']);
  });

  it('is housekeeping: a server that cannot list uploads does not fail the run', async () => {
    const { ctx } = stubContext({
      ListMultipartUploadsCommand: () => {
        throw s3Error('AccessDenied', 403);
      },
    });
    await expect(abortStaleUploads(ctx, NOW)).resolves.toBe(0);
  });

  it('but an unreachable server does fail it (core retries, then reports the destination)', async () => {
    const { ctx } = stubContext({
      ListMultipartUploadsCommand: () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    });
    await expect(abortStaleUploads(ctx, NOW)).rejects.toMatchObject({ code: 'LIFEBOAT_DEST_UNAVAILABLE' });
  });

  it('follows the pages of a long listing', async () => {
    let page = 0;
    const { ctx } = stubContext({
      ListMultipartUploadsCommand: () =>
        page++ === 0
          ? {
              Uploads: [{ Key: 'a', UploadId: '1', Initiated: ago(STALE_UPLOAD_MS * 2) }],
              IsTruncated: true,
              NextKeyMarker: 'a',
              NextUploadIdMarker: '1',
            }
          : { Uploads: [{ Key: 'b', UploadId: '2', Initiated: ago(STALE_UPLOAD_MS * 2) }], IsTruncated: false },
      ListPartsCommand: () => ({ Parts: [] }),
      AbortMultipartUploadCommand: () => ({}),
    });
    expect(await abortStaleUploads(ctx, NOW)).toBe(2);
  });
});
