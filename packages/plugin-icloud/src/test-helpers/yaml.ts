/**
 * A small YAML reader for the VCR.py cassettes in ../shared/fixtures/icloudpd (no YAML library is installed).
 * It covers what those files use: block mappings and sequences, flow `[...]`/`{...}` collections, plain,
 * single- and double-quoted scalars over several lines, `|` literals, and the `!!python/unicode` and `!!binary`
 * tags. It is test code: it throws on anything else rather than guessing.
 */

export type Yaml = string | number | boolean | null | Buffer | Yaml[] | { [key: string]: Yaml };

export function parseYaml(text: string): Yaml {
  return new Parser(text.replace(/\r\n/g, '\n')).document();
}

class Parser {
  readonly lines: string[];
  line = 0;
  col = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  document(): Yaml {
    this.skipBlank();
    return this.block(0);
  }

  get cur(): string {
    return this.lines[this.line] ?? '';
  }

  fail(msg: string): never {
    throw new Error(`YAML line ${this.line + 1}: ${msg}: ${this.cur.slice(0, 80)}`);
  }

  /** Moves to the next line holding content (not blank, not a comment); col at its first character. */
  skipBlank(): void {
    while (this.line < this.lines.length) {
      const rest = this.cur.slice(this.col);
      if (rest.trim() !== '' && !rest.trim().startsWith('#')) {
        this.col += rest.length - rest.trimStart().length;
        return;
      }
      this.line++;
      this.col = 0;
    }
  }

  indentOf(line: number): number {
    const l = this.lines[line] ?? '';
    return l.length - l.trimStart().length;
  }

  /** A block node starting at the current position (column `this.col`). */
  block(minIndent: number): Yaml {
    const rest = this.cur.slice(this.col);
    const column = this.col;
    if (column < minIndent) return null;
    if (rest.startsWith('- ') || rest === '-') return this.sequence(column);
    if (this.mappingKeyAt(rest)) return this.mapping(column);
    return this.inlineValue(column - 1);
  }

  mappingKeyAt(rest: string): boolean {
    if (rest.startsWith('[') || rest.startsWith('{') || rest.startsWith('"') || rest.startsWith("'")) return false;
    return /^[^\s#][^:]*?:(\s|$)/.test(rest);
  }

  sequence(column: number): Yaml[] {
    const items: Yaml[] = [];
    while (this.line < this.lines.length) {
      const rest = this.cur.slice(this.col);
      if (this.col !== column || !(rest.startsWith('- ') || rest === '-')) break;
      this.col += 1;
      const after = this.cur.slice(this.col);
      if (after.trim() === '') {
        this.line++;
        this.col = 0;
        this.skipBlank();
        items.push(this.block(column + 1));
      } else {
        this.col += after.length - after.trimStart().length;
        items.push(this.block(column + 1));
      }
      this.skipBlank();
    }
    return items;
  }

  mapping(column: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    while (this.line < this.lines.length) {
      if (this.col !== column) break;
      const rest = this.cur.slice(this.col);
      if (!this.mappingKeyAt(rest)) break;
      const colon = rest.search(/:(\s|$)/);
      const key = rest.slice(0, colon).trim();
      this.col += colon + 1;
      out[key] = this.valueAfterKey(column);
      this.skipBlank();
    }
    return out;
  }

  /** The value after `key:`: inline on the same line, or a nested block on the following lines. */
  valueAfterKey(keyIndent: number): Yaml {
    let rest = this.cur.slice(this.col);
    this.col += rest.length - rest.trimStart().length;
    rest = this.cur.slice(this.col);
    let tag: string | undefined;
    const tagMatch = /^(!!\S+)\s*/.exec(rest);
    if (tagMatch) {
      tag = tagMatch[1];
      this.col += tagMatch[0].length;
      rest = this.cur.slice(this.col);
    }
    let value: Yaml;
    if (rest.trim() === '' || rest.trim().startsWith('#')) {
      const save = { line: this.line, col: this.col };
      this.line++;
      this.col = 0;
      this.skipBlank();
      const indent = this.col;
      const isSeq = this.cur.slice(this.col).startsWith('-');
      if (this.line < this.lines.length && (indent > keyIndent || (indent === keyIndent && isSeq))) {
        value = this.block(indent);
      } else {
        this.line = save.line + 1;
        this.col = 0;
        value = tag ? '' : null;
      }
    } else {
      value = this.inlineValue(keyIndent);
    }
    return applyTag(tag, value);
  }

  /** A scalar or flow collection starting at the current position, possibly continuing on deeper lines. */
  inlineValue(parentIndent: number): Yaml {
    const ch = this.cur[this.col];
    if (ch === '|' || ch === '>') return this.literal(parentIndent);
    if (ch === "'" || ch === '"') {
      const s = this.quoted();
      this.endLine();
      return s;
    }
    if (ch === '[' || ch === '{') {
      const v = this.flow();
      this.endLine();
      return v;
    }
    // Plain scalar, folded over more-indented continuation lines.
    let text = this.cur
      .slice(this.col)
      .replace(/\s+#.*$/, '')
      .trim();
    this.line++;
    this.col = 0;
    while (this.line < this.lines.length && this.cur.trim() !== '' && this.indentOf(this.line) > parentIndent) {
      const t = this.cur.trim();
      if (this.mappingKeyAt(t) || t.startsWith('- ')) break;
      text += ` ${t}`;
      this.line++;
    }
    return resolvePlain(text);
  }

  endLine(): void {
    const rest = this.cur.slice(this.col).trim();
    if (rest !== '' && !rest.startsWith('#')) this.fail('unexpected text after value');
    this.line++;
    this.col = 0;
  }

  literal(parentIndent: number): string {
    const header = this.cur.slice(this.col).trim();
    const keep = header.includes('+');
    const strip = header.includes('-');
    this.line++;
    this.col = 0;
    const body: string[] = [];
    let indent = -1;
    while (this.line < this.lines.length) {
      const l = this.cur;
      if (l.trim() === '') {
        body.push('');
        this.line++;
        continue;
      }
      const i = this.indentOf(this.line);
      if (i <= parentIndent) break;
      if (indent < 0) indent = i;
      if (i < indent) break;
      body.push(l.slice(indent));
      this.line++;
    }
    while (body.length > 0 && body[body.length - 1] === '' && !keep) body.pop();
    const joined = header.startsWith('>') ? body.join(' ') : body.join('\n');
    return strip ? joined : `${joined}\n`;
  }

  /** A quoted scalar, which may span lines (folded: a line break is a space, an empty line a newline). */
  quoted(): string {
    const q = this.cur[this.col];
    this.col++;
    // Parts per line, joined once at the end: indexing a growing concatenated string would flatten it each time.
    const parts: string[] = [];
    let seg = '';
    for (;;) {
      if (this.line >= this.lines.length) this.fail('unterminated string');
      const l = this.cur;
      if (this.col >= l.length) {
        // Line break inside the string: fold (trailing blanks dropped; a break is a space, an empty line a newline).
        parts.push(seg.replace(/[ \t]+$/, ''));
        seg = '';
        this.line++;
        this.col = 0;
        let blank = 0;
        while (this.line < this.lines.length && this.cur.trim() === '') {
          blank++;
          this.line++;
        }
        parts.push(blank > 0 ? '\n'.repeat(blank) : ' ');
        this.col = this.indentOf(this.line);
        continue;
      }
      const c = l[this.col]!;
      if (q === "'") {
        if (c === "'") {
          if (l[this.col + 1] === "'") {
            seg += "'";
            this.col += 2;
            continue;
          }
          this.col++;
          parts.push(seg);
          return parts.join('');
        }
        seg += c;
        this.col++;
        continue;
      }
      if (c === '"') {
        this.col++;
        parts.push(seg);
        return parts.join('');
      }
      if (c === '\\') {
        const e = l[this.col + 1];
        if (e === undefined) {
          // Escaped line break: join without a space.
          parts.push(seg);
          seg = '';
          this.line++;
          this.col = this.indentOf(this.line);
          continue;
        }
        this.col += 2;
        const simple: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          '"': '"',
          '\\': '\\',
          '/': '/',
          ' ': ' ',
          '0': '\0',
          b: '\b',
        };
        if (e in simple) {
          // An escaped character is content: keep it out of the trailing-blank trim.
          parts.push(seg, simple[e]!);
          seg = '';
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          seg += String.fromCodePoint(Number.parseInt(l.slice(this.col, this.col + n), 16));
          this.col += n;
        } else this.fail(`unknown escape \\${e}`);
        continue;
      }
      seg += c;
      this.col++;
    }
  }

  skipFlowSpace(): void {
    for (;;) {
      if (this.line >= this.lines.length) this.fail('unterminated flow collection');
      const l = this.cur;
      while (this.col < l.length && (l[this.col] === ' ' || l[this.col] === '\t')) this.col++;
      if (this.col >= l.length || l[this.col] === '#') {
        this.line++;
        this.col = 0;
        continue;
      }
      return;
    }
  }

  flow(): Yaml {
    const open = this.cur[this.col];
    this.col++;
    if (open === '[') {
      const items: Yaml[] = [];
      for (;;) {
        this.skipFlowSpace();
        if (this.cur[this.col] === ']') {
          this.col++;
          return items;
        }
        items.push(this.flowScalarOrCollection());
        this.skipFlowSpace();
        if (this.cur[this.col] === ',') this.col++;
      }
    }
    const obj: { [key: string]: Yaml } = {};
    for (;;) {
      this.skipFlowSpace();
      if (this.cur[this.col] === '}') {
        this.col++;
        return obj;
      }
      const key = String(this.flowScalarOrCollection(true));
      this.skipFlowSpace();
      if (this.cur[this.col] !== ':') this.fail('expected ":" in flow mapping');
      this.col++;
      this.skipFlowSpace();
      obj[key] = this.flowScalarOrCollection();
      this.skipFlowSpace();
      if (this.cur[this.col] === ',') this.col++;
    }
  }

  flowScalarOrCollection(isKey = false): Yaml {
    const ch = this.cur[this.col];
    if (ch === '[' || ch === '{') return this.flow();
    if (ch === "'" || ch === '"') return this.quoted();
    let text = '';
    for (;;) {
      const l = this.cur;
      while (this.col < l.length) {
        const c = l[this.col]!;
        if (c === ',' || c === ']' || c === '}' || (isKey && c === ':' && /[\s]/.test(l[this.col + 1] ?? ' '))) {
          return resolvePlain(text.trim());
        }
        text += c;
        this.col++;
      }
      this.line++;
      this.col = 0;
      text += ' ';
      if (this.line >= this.lines.length) this.fail('unterminated flow scalar');
    }
  }
}

function resolvePlain(text: string): Yaml {
  if (text === '' || text === '~' || text === 'null') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

function applyTag(tag: string | undefined, value: Yaml): Yaml {
  if (tag === '!!binary') return Buffer.from(typeof value === 'string' ? value.replace(/\s+/g, '') : '', 'base64');
  if (tag !== undefined && typeof value !== 'string' && value !== null) return String(value);
  return tag !== undefined && value === null ? '' : value;
}
