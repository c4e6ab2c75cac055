/**
 * Reads a PROPFIND answer (RFC 4918 multistatus). Only what a listing needs: each response's href, whether it is a
 * collection, its length and modification time. Written here rather than taken from an XML library so the plugin
 * installs with no dependency but the plugin API; the answer's shape is fixed by the RFC, only the namespace
 * prefix varies (`D:`, `d:`, none), so elements are matched by local name.
 */
export interface DavEntry {
  /** The href as sent: a path (or URL), percent-encoded. */
  href: string;
  collection: boolean;
  size?: number;
  modifiedAt?: string;
}

const element = (name: string) =>
  new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>)`, 'g');
const RESPONSE = element('response');
const PROPSTAT = element('propstat');

function first(xml: string, name: string): string | undefined {
  const match = element(name).exec(xml);
  return match ? (match[1] ?? '') : undefined;
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

export function parseMultistatus(xml: string): DavEntry[] {
  const entries: DavEntry[] = [];
  for (const response of xml.matchAll(RESPONSE)) {
    const body = response[1] ?? '';
    const href = first(body, 'href');
    if (href === undefined) continue;
    const entry: DavEntry = { href: unescapeXml(href.trim()), collection: false };
    // Only the properties of a propstat whose status is 200: the others list what the server does not have.
    for (const propstat of body.matchAll(PROPSTAT)) {
      const inner = propstat[1] ?? '';
      if (!/\s2\d\d\s/.test(` ${first(inner, 'status') ?? 'HTTP/1.1 200 OK'} `)) continue;
      const type = first(inner, 'resourcetype');
      if (type !== undefined && element('collection').test(type)) entry.collection = true;
      const length = first(inner, 'getcontentlength')?.trim();
      if (length) entry.size = Number(length);
      const modified = first(inner, 'getlastmodified')?.trim();
      const time = modified ? Date.parse(modified) : Number.NaN;
      if (!Number.isNaN(time)) entry.modifiedAt = new Date(time).toISOString();
    }
    entries.push(entry);
  }
  return entries;
}
