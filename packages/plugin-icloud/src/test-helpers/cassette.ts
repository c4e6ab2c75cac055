/** The VCR.py cassettes in ../shared/fixtures/icloudpd (recorded real iCloud answers), as interactions. */
import { readFileSync } from 'node:fs';
import { parseYaml, type Yaml } from './yaml.js';

export interface Interaction {
  method: string;
  uri: string;
  requestBody: string | undefined;
  status: number;
  headers: Record<string, string[]>;
  /** The response body as text (binary bodies as latin1). */
  body: string;
}

export function readCassette(path: string): Interaction[] {
  const doc = parseYaml(readFileSync(path, 'utf8')) as { interactions?: unknown };
  if (!Array.isArray(doc.interactions)) throw new Error(`${path}: no interactions`);
  return doc.interactions.map((raw, i) => {
    const it = raw as { request: Record<string, Yaml>; response: Record<string, Yaml> };
    const status = it.response.status as { code: Yaml };
    const body = (it.response.body as { string?: Yaml } | null)?.string;
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries((it.response.headers ?? {}) as Record<string, Yaml>)) {
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
