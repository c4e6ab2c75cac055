/**
 * Reads the recorded icloudpd cassettes (VCR YAML) just far enough for shape checks: each interaction's URI,
 * status and response body string. No YAML library is installed, and the bodies are only quoted scalars
 * (single or double, folded over lines, sometimes tagged !!python/unicode), so a small scalar reader does.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures/icloudpd beside the repository (the same depth from src/ and dist/). */
export const CASSETTES =
  process.env.LIFEBOAT_ICLOUDPD_FIXTURES ??
  fileURLToPath(new URL('../../../../shared/fixtures/icloudpd', import.meta.url));

export interface Interaction {
  uri: string;
  status: number;
  body: string;
}

function readQuoted(text: string, start: number): string {
  const quote = text[start];
  let i = start + 1;
  // An array of pieces, not a growing string: trimming a long rope's end on every line would be quadratic.
  const out: string[] = [];
  const trimEnd = () => {
    while (out.at(-1) === ' ' || out.at(-1) === '\t') out.pop();
  };
  const fold = () => {
    trimEnd();
    let breaks = 0;
    while (text[i] === '\n') {
      breaks++;
      i++;
      while (text[i] === ' ' || text[i] === '\t') i++;
    }
    out.push(breaks > 1 ? '\n'.repeat(breaks - 1) : ' ');
  };
  for (;;) {
    const ch = text[i];
    if (ch === undefined) throw new Error('unterminated scalar');
    if (quote === "'" && ch === "'") {
      if (text[i + 1] === "'") {
        out.push("'");
        i += 2;
        continue;
      }
      return out.join('');
    }
    if (quote === '"' && ch === '"') return out.join('');
    if (quote === '"' && ch === '\\') {
      const next = text[i + 1]!;
      i += 2;
      if (next === '\n') {
        while (text[i] === ' ' || text[i] === '\t') i++;
        continue;
      }
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        '"': '"',
        '\\': '\\',
        '/': '/',
        ' ': ' ',
        '0': '\0',
        r: '\r',
      };
      if (next in simple) out.push(simple[next]!);
      else if (next === 'u' || next === 'x' || next === 'U') {
        const len = next === 'u' ? 4 : next === 'x' ? 2 : 8;
        out.push(String.fromCodePoint(Number.parseInt(text.slice(i, i + len), 16)));
        i += len;
      } else out.push(next);
      continue;
    }
    if (ch === '\n') {
      i++;
      while (text[i] === ' ' || text[i] === '\t') i++;
      i--;
      if (text[i + 1] === '\n') {
        i++;
        fold();
      } else {
        trimEnd();
        out.push(' ');
        i++;
      }
      continue;
    }
    out.push(ch);
    i++;
  }
}

export function readCassette(name: string): Interaction[] {
  const text = readFileSync(`${CASSETTES}/${name}`, 'utf8');
  const out: Interaction[] = [];
  const uriPattern = /^ {4}uri: (.*)$/gm;
  const starts = [...text.matchAll(uriPattern)];
  starts.forEach((match, n) => {
    const from = match.index;
    const to = starts[n + 1]?.index ?? text.length;
    const chunk = text.slice(from, to);
    const bodyAt = /string: (?:!!python\/unicode )?(['"])/.exec(chunk);
    const body = bodyAt ? readQuoted(chunk, bodyAt.index + bodyAt[0].length - 1) : '';
    const status = /code: (\d{3})/.exec(chunk.slice(chunk.indexOf('status:')));
    out.push({ uri: match[1]!.trim(), status: Number(status?.[1] ?? 0), body });
  });
  return out;
}
