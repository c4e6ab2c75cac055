/**
 * The layering of this package, checked on the source: Ink screens (ui/) and CLI commands (commands/) only render
 * what the application services (app/) return; the services get their dependencies through their constructors;
 * and only the composition root (container.ts, with the entries cli.ts, main.ts and index.ts) touches the
 * tsyringe container. Tests and the UI test harness build their own container, as a composition root does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const ROOT = new Set(['container.ts', 'cli.ts', 'main.ts', 'index.ts']);

interface Import {
  /** The module as written. */
  spec: string;
  /** For a relative import: the file it names, relative to src/ (`commands/run.ts`). */
  target?: string;
  /** What is imported by name (`inject`, `container`...), when the statement names things. */
  names: string[];
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [relative(SRC, path)] : [];
  });
}

/** Every static, re-exported and dynamic import of a file. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found: Import[] = [];
  const statement = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  const bare = /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  const dynamic = /import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const add = (spec: string, clause = '') => {
    const names = [...clause.matchAll(/(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+[\w$]+)?\s*(?=[,}])/g)].map(
      (m) => m[1]!,
    );
    const written = spec.startsWith('.') ? relative(SRC, resolve(SRC, dirname(file), spec)) : undefined;
    // A `.js` import names the `.ts` or `.tsx` file it is built from.
    const tsx = written?.replace(/\.js$/, '.tsx');
    const target = tsx && existsSync(join(SRC, tsx)) ? tsx : written?.replace(/\.js$/, '.ts');
    found.push({ spec, names, ...(target ? { target } : {}) });
  };
  for (const m of text.matchAll(statement)) add(m[2]!, m[1]);
  for (const m of text.matchAll(bare)) add(m[1]!);
  for (const m of text.matchAll(dynamic)) add(m[1]!);
  return found;
}

const files = sourceFiles();
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.startsWith('ui/testing/');
const offending = (which: (f: string) => boolean, bad: (i: Import, file: string) => boolean) =>
  files.filter(which).flatMap((f) =>
    importsOf(f)
      .filter((i) => bad(i, f))
      .map((i) => `${f} imports ${i.spec}`),
  );

describe('the layers of the CLI and terminal UI', () => {
  it('reads the imports it checks (the check itself works)', () => {
    expect(files).toContain('ui/app.tsx');
    expect(files).toContain('app/dashboard.ts');
    const cli = importsOf('cli.ts');
    expect(cli.some((i) => i.target === 'commands/run.ts' && i.names.includes('runPlan'))).toBe(true);
    expect(
      importsOf('app/di.ts')
        .find((i) => i.spec === 'tsyringe')
        ?.names.sort(),
    ).toEqual(['inject', 'injectable']);
    expect(importsOf('main.ts').some((i) => i.target === 'ui/start.tsx')).toBe(true);
  });

  it('no Ink screen imports a CLI command handler', () => {
    expect(
      offending(
        (f) => f.startsWith('ui/'),
        (i) => i.target?.startsWith('commands/') === true,
      ),
    ).toEqual([]);
  });

  it('the application services import neither the CLI, the screens nor the composition root', () => {
    const bad = (i: Import) =>
      i.target !== undefined && (i.target.startsWith('commands/') || i.target.startsWith('ui/') || ROOT.has(i.target));
    expect(offending((f) => f.startsWith('app/') && !isTest(f), bad)).toEqual([]);
  });

  it('only the composition root touches the container; services only declare what they inject', () => {
    const outside = (f: string) => !ROOT.has(f) && !isTest(f);
    // tsyringe's decorators come through app/di.ts (which loads reflect-metadata first), and nothing else of it.
    const tsyringe = (i: Import, f: string) =>
      i.spec === 'tsyringe' && (f !== 'app/di.ts' || i.names.some((n) => n !== 'inject' && n !== 'injectable'));
    expect(offending(outside, tsyringe)).toEqual([]);
    expect(offending(outside, (i) => i.target !== undefined && ROOT.has(i.target))).toEqual([]);
    const holders = files
      .filter(outside)
      .filter((f) => /\bDependencyContainer\b/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(holders).toEqual([]);
  });
});
