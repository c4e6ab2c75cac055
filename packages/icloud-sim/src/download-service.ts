/**
 * Serves resource bytes (docs/icloud-protocol.md §Downloads) from the content host: 200 or 206 with Range, Apple's
 * headers, 410 if expired, and the truncation fault. Like Apple's content host it reads no cookie: the signed URL
 * is the only credential. Bytes are generated as they are written, with backpressure and at most the profile's
 * `downloadBytesPerSecond` per connection, so a 2 GB video costs no memory; every byte written is counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentChunks } from './content.js';
import type { SimContext } from './context.js';
import { parseDownload } from './download-urls.js';
import { sendJson, sendText } from './http-util.js';
import { drained, RateLimiter } from './rate-limiter.js';

function parseRange(value: string | undefined, size: number): [number, number] | 'invalid' | undefined {
  if (!value) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'invalid' : [Math.max(0, size - suffix), size];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size : Math.min(size, Number(match[2]) + 1);
  return start >= size || end <= start ? 'invalid' : [start, end];
}

export async function handleDownload(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  /** Called just before the last slice is written (the pace gate's slot is free once the client can have it all). */
  beforeLastSlice?: () => void,
): Promise<void> {
  const target = parseDownload(ctx, url);
  if (target === undefined) return sendJson(res, 404, { error: 'not found' });
  if (target === 'forged') return sendText(res, 403, 'Forbidden');
  if (ctx.faults.expireDownloadUrls > 0 || target.expiresAt <= ctx.now()) {
    if (ctx.faults.expireDownloadUrls > 0) ctx.faults.expireDownloadUrls--;
    return sendText(res, 410, 'Gone');
  }
  const library = ctx.libraries[target.library];
  if (!library || target.index >= library.size) return sendText(res, 404, 'Not Found');
  const state = library.state(target.index);
  // Expunged assets and superseded edit versions are gone from the content store.
  const current = target.field !== 'resJPEGFullRes' || target.version === state.editVersion;
  const content = !state.isExpunged && current ? library.content(state, target.field, target.version) : undefined;
  if (!content) return sendText(res, 404, 'Not Found');

  const assetId = state.spec.assetId;
  ctx.counters.download(assetId, target.field);
  const range = parseRange(req.headers.range, content.size);
  if (range === 'invalid') {
    return sendText(res, 416, 'Range Not Satisfiable', { 'Content-Range': `bytes */${content.size}` });
  }
  const [start, end] = range ?? [0, content.size];
  let stop = end;
  const truncate = ctx.faults.truncateDownloads > 0;
  if (truncate) {
    ctx.faults.truncateDownloads--;
    const cut = ctx.faults.truncateAfterBytes;
    stop = start + (cut === null ? Math.floor((end - start) / 2) : Math.min(cut, end - start - 1));
  }
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Content-Disposition': 'attachment; filename="%24%7Bf%7D"',
    'Access-Control-Allow-Origin': 'https://www.icloud.com',
  };
  if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${content.size}`;
  // 'clean' truncation: chunked, ends early without any error (only a size check catches it).
  if (!(truncate && ctx.faults.truncateMode === 'clean')) headers['Content-Length'] = end - start;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') return void res.end();

  const rate = new RateLimiter(() => ctx.pace.downloadBytesPerSecond);
  let left = stop - start;
  for (const chunk of contentChunks(content, start, stop)) {
    for (const part of rate.slices(chunk)) {
      if (res.destroyed) return;
      left -= part.length;
      if (left === 0) beforeLastSlice?.();
      ctx.counters.served(assetId, target.field, part.length);
      if (!res.write(part)) await drained(res);
      if (left > 0) await rate.sent(part.length);
    }
  }
  if (truncate && ctx.faults.truncateMode === 'reset') {
    // With an exact cut the bytes written reach the client first (the response corks its socket on the first
    // write), so a test can count what arrived before the drop.
    const socket = res.socket;
    if (ctx.faults.truncateAfterBytes !== null && socket) {
      await new Promise((r) => setImmediate(r));
      await new Promise<void>((r) => socket.write('', () => r()));
    }
    socket?.destroy();
    return;
  }
  res.end();
}
