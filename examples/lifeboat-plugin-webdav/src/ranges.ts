import type { IncomingMessage } from 'node:http';

/** The Range header for a read, or undefined for the whole object. */
export function rangeHeader(offset: number, length: number | undefined): string | undefined {
  if (offset === 0 && length === undefined) return undefined;
  return `bytes=${offset}-${length === undefined ? '' : offset + length - 1}`;
}

/**
 * What is wrong with the answer to a ranged GET, if anything. A server (or a proxy on the way) that ignores Range
 * answers 200 with the whole object: passing that on as the range would corrupt a resumed copy silently.
 */
export function rangeProblem(
  response: IncomingMessage,
  offset: number,
  length: number | undefined,
): string | undefined {
  const contentRange = response.headers['content-range'];
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange?.trim() ?? '');
  if (response.statusCode !== 206 || !match) {
    return `with ${response.statusCode} and no Content-Range (${contentRange ?? 'none'}): other bytes than asked`;
  }
  const [start, end] = [Number(match[1]), Number(match[2])];
  const total = match[3] === '*' ? Number.POSITIVE_INFINITY : Number(match[3]);
  const wantedEnd = Math.min(length === undefined ? Number.POSITIVE_INFINITY : offset + length, total) - 1;
  if (start !== offset || (Number.isFinite(wantedEnd) && end !== wantedEnd)) return `with the bytes ${start}-${end}`;
  const announced = Number(response.headers['content-length'] ?? Number.NaN);
  if (!Number.isNaN(announced) && announced !== end - start + 1) {
    return `with ${announced} bytes for the range ${start}-${end}`;
  }
  return undefined;
}
