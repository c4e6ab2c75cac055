/** The recorded Apple answers (VCR.py cassettes in ../recorded, see its README), read as interactions. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

/** The folder of recorded cassettes, shipped with this package. */
export const RECORDED_DIR = fileURLToPath(new URL('../recorded', import.meta.url));

export interface Interaction {
  method: string;
  uri: string;
  requestBody: string | undefined;
  status: number;
  headers: Record<string, string[]>;
  /** The response body as text (binary bodies as latin1). */
  body: string;
}

// js-yaml rather than the `yaml` package: PyYAML wrote these files, and one hand-edited body
// (listing_videos.yml) continues a quoted string less indented than YAML 1.2 allows, which `yaml` refuses and
// PyYAML and js-yaml read. VCR.py tags Python 2 strings `!!python/unicode` and bodies `!!binary` (base64).
const CASSETTE_SCHEMA = yaml.DEFAULT_SCHEMA.extend([
  new yaml.Type('tag:yaml.org,2002:python/unicode', { kind: 'scalar', construct: (text: string) => text }),
  new yaml.Type('tag:yaml.org,2002:binary', {
    kind: 'scalar',
    construct: (text: string | null) => Buffer.from((text ?? '').replace(/\s+/g, ''), 'base64'),
  }),
]);

/** The names of the recorded cassettes, sorted. */
export function recordedCassettes(): string[] {
  return readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort();
}

/** Reads a cassette: a path, or the name of one in RECORDED_DIR. */
export function readCassette(pathOrName: string): Interaction[] {
  const path = pathOrName.includes('/') ? pathOrName : join(RECORDED_DIR, pathOrName);
  const doc = yaml.load(readFileSync(path, 'utf8'), { schema: CASSETTE_SCHEMA }) as { interactions?: unknown } | null;
  if (!Array.isArray(doc?.interactions)) throw new Error(`${path}: no interactions`);
  return doc.interactions.map((raw: unknown, i: number) => {
    const it = raw as { request: Record<string, unknown>; response: Record<string, unknown> };
    const status = it.response.status as { code: unknown };
    const body = (it.response.body as { string?: unknown } | null)?.string;
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries((it.response.headers ?? {}) as Record<string, unknown>)) {
      headers[k.toLowerCase()] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
    }
    if (typeof it.request.uri !== 'string') throw new Error(`${path}: interaction ${i} has no uri`);
    return {
      method: String(it.request.method),
      uri: it.request.uri,
      requestBody: typeof it.request.body === 'string' ? it.request.body : undefined,
      status: Number(status.code),
      headers,
      body: Buffer.isBuffer(body) ? body.toString('latin1') : body == null ? '' : String(body),
    };
  });
}
