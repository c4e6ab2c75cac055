/**
 * The repo stands alone: a clone with nothing beside it builds, tests and demos. Nothing tracked may reach outside
 * the repo for the team's shared folder (its notes were rewritten into docs/, its recordings copied into
 * packages/icloud-sim/recorded), and every document the code cites is in the repo and says what is cited.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|sh|md|yml|yaml)$|^\.ci\/run$/;

/** Tracked and new (not ignored) text files: what a clone gets. */
function trackedTextFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => TEXT.test(f) && !f.startsWith('packages/icloud-sim/recorded/') && existsSync(join(ROOT, f)));
}

describe('the repo stands alone', () => {
  it('no tracked file refers to the shared folder outside the repo', () => {
    const pattern = ['\\.\\./', 'shared/(fixtures|docs)|\\.\\./\\.\\./shared\\b'].join('');
    const outside = new RegExp(pattern);
    const hits = trackedTextFiles().flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (outside.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});

const ARCHITECTURE = 'docs/architecture.md';
const PROTOCOL = 'docs/icloud-protocol.md';
const DOCS = [ARCHITECTURE, PROTOCOL];
// Built from parts so that these lines do not match themselves.
const SECTION_SIGN = '\u00a7';
const OLD_STYLE = new RegExp([`${SECTION_SIGN}\\d`, 'protocol\\snotes', 'architecture\\sinvariant'].join('|'), 'i');
const INVARIANT = /\binvariants? (\d+)/gi;

function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** A document's section titles (every markdown heading, without the #s). */
function headings(doc: string): string[] {
  return [...read(doc).matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1]!);
}

interface Cite {
  where: string;
  doc: string;
  /** The text after the section sign, or `invariant <n>`. */
  what: string;
}

/**
 * Every citation of a doc section or an invariant in the repo's text files. A section sign refers to the doc
 * named before it on the same line (inside a doc, to the doc itself); an invariant to docs/architecture.md,
 * which the line must name. Citations that name no doc are returned as `doc: ''`.
 */
function citations(): Cite[] {
  const out: Cite[] = [];
  for (const file of trackedTextFiles()) {
    read(file)
      .split('\n')
      .forEach((line, i) => {
        const where = `${file}:${i + 1}`;
        for (const m of line.matchAll(new RegExp(SECTION_SIGN, 'g'))) {
          const before = line.slice(0, m.index);
          const named = DOCS.map((d) => ({ d, at: before.lastIndexOf(d) })).filter((x) => x.at >= 0);
          named.sort((a, b) => b.at - a.at);
          const doc = named[0]?.d ?? (DOCS.includes(file) ? file : '');
          out.push({ where, doc, what: line.slice(m.index + 1) });
        }
        if (file === ARCHITECTURE) return;
        for (const m of line.matchAll(INVARIANT)) {
          out.push({ where, doc: line.includes(ARCHITECTURE) ? ARCHITECTURE : '', what: `invariant ${m[1]}` });
        }
      });
  }
  return out;
}

/** Paths inside the repo that a doc names: `packages/...`-style code spans and relative markdown links. */
function namedPaths(doc: string): string[] {
  const text = read(doc);
  const spans = [...text.matchAll(/`((?:packages|test|examples|scripts|docs|bench)\/[^`\s]*)`/g)].map((m) => m[1]!);
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((l) => !/^[a-z]+:/.test(l))
    .map((l) => join(dirname(doc), l));
  return [...spans, ...links];
}

describe('the docs the code cites', () => {
  const cites = citations();

  it('finds the citations it checks (precondition)', () => {
    expect(cites.filter((c) => c.doc === PROTOCOL).length).toBeGreaterThan(20);
    expect(cites.filter((c) => c.doc === ARCHITECTURE).length).toBeGreaterThan(2);
  });

  it('no file cites the team notes that are not in the repo, or a section without naming its doc', () => {
    const bad = trackedTextFiles().flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (OLD_STYLE.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    const unnamed = cites.filter((c) => c.doc === '').map((c) => `${c.where}: ${c.what} (name the doc on the line)`);
    expect([...bad, ...unnamed]).toEqual([]);
  });

  it('every invariant cited is defined in docs/architecture.md', () => {
    const defined = new Set([...read(ARCHITECTURE).matchAll(/^#+ Invariant (\d+):/gm)].map((m) => `invariant ${m[1]}`));
    expect(defined.size).toBeGreaterThanOrEqual(10);
    const missing = cites.filter((c) => c.what.startsWith('invariant ') && !defined.has(c.what));
    expect(missing.map((c) => `${c.where}: ${c.what}`)).toEqual([]);
  });

  it('every section cited is a heading of the doc it names', () => {
    const titles = new Map(DOCS.map((d) => [d, headings(d)]));
    const missing = cites.filter((c) => {
      if (c.what.startsWith('invariant ') || c.doc === '') return false;
      // The title, then anything but more of a word: a title `SRP` fits `SRP,` and `SRP)`, not `SRPx`.
      return !titles.get(c.doc)!.some((t) => c.what.startsWith(t) && !/^[\p{L}\p{N}-]/u.test(c.what.slice(t.length)));
    });
    expect(missing.map((c) => `${c.where}: ${c.doc} \u00a7${c.what.slice(0, 40)}`)).toEqual([]);
  });

  it("the README's layout names every package and points to docs/architecture.md", () => {
    const readme = read('README.md');
    const layout = readme.slice(readme.indexOf('### Layout'));
    const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'packages', d.name, 'package.json')))
      .map((d) => `packages/${d.name}`);
    expect(packages.length).toBeGreaterThanOrEqual(6);
    expect(packages.filter((p) => !layout.includes(`\`${p}\``))).toEqual([]);
    expect(layout).toContain('(docs/architecture.md)');
  });

  it('every path the docs name exists', () => {
    const missing = DOCS.flatMap((doc) =>
      namedPaths(doc)
        .filter((p) => !existsSync(join(ROOT, p)))
        .map((p) => `${doc}: ${p}`),
    );
    expect(missing).toEqual([]);
  });
});
