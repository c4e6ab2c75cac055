/** Small helpers over node:http: bodies, JSON answers and cookies, the way Apple's hosts shape them. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Headers = Record<string, string | string[]>;

export async function readBody(req: IncomingMessage, limit = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; `null`, empty and broken bodies all become undefined (Apple accepts `null` on validate). */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) ?? undefined;
  } catch {
    return undefined;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Headers = {},
  contentType = 'application/json; charset=UTF-8',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Headers = {},
  type = 'text/html',
): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Headers = {}): void {
  res.writeHead(status, headers);
  res.end();
}

export function parseCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    out.set(part.slice(0, eq).trim(), value);
  }
  return out;
}

/**
 * A Set-Cookie line. Host-only (no Domain) and without Secure, unlike Apple's `Domain=.icloud.com;Secure`:
 * a standard cookie jar would never send those back to http://127.0.0.1.
 */
export function cookie(name: string, value: string, expiresAt?: number): string {
  const expires = expiresAt === undefined ? '' : `;Expires=${new Date(expiresAt).toUTCString()}`;
  return `${name}="${value}"${expires};Path=/;HttpOnly`;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
