/**
 * Every plugin (built-in, example, test fixture) is written against @lifeboat/plugin-api alone: it imports no other
 * Lifeboat package, reaches into none by a relative path, and declares none in its package.json. Otherwise a
 * plugin could come to lean on the engine, and the API's version would no longer say what it may rely on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli.js';

const ALLOWED_LIFEBOAT = new Set(['@lifeboat/plugin-api', '@lifeboat/plugin-api/testing']);
// The simulated iCloud is a test server for any iCloud client, not part of Lifeboat: tests may start it.
const TEST_TOOLS = new Set(['@lifeboat/icloud-sim']);
const isTestFile = (file: string) => /\.test\.[jt]sx?$|[/\\]test-helpers[/\\]/.test(file);

/** The module specifiers of a source text: static and dynamic imports, re-exports and require(). */
export function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\.meta\.resolve\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(m?[jt]sx?)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const subfolders = (dir: string) =>
  readdirSync(join(repoRoot, dir))
    .filter((n) => statSync(join(repoRoot, dir, n)).isDirectory())
    .map((n) => join(repoRoot, dir, n));

/** Every plugin package in the repository: built-in, example and test fixture. */
const plugins = [
  ...subfolders('packages').filter((d) => /[/\\]plugin-(?!api$)[^/\\]+$/.test(d)),
  ...subfolders('examples'),
  ...subfolders(join('test', 'fixtures', 'plugins')),
];

/** What is wrong with one import of a file in the plugin package at `root`, or undefined when it is allowed. */
export function offence(root: string, file: string, specifier: string): string | undefined {
  if (specifier.startsWith('@lifeboat/')) {
    if (ALLOWED_LIFEBOAT.has(specifier) || (TEST_TOOLS.has(specifier) && isTestFile(file))) return undefined;
    return `imports ${specifier}`;
  }
  if (!specifier.startsWith('.')) return undefined; // node: builtins and the plugin's own npm dependencies
  const target = resolve(file, '..', specifier);
  const inside = (dir: string) => target === dir || target.startsWith(dir + sep);
  if (inside(root)) return undefined;
  return `reaches outside its package to ${relative(repoRoot, target)}`;
}

describe('plugins import only the plugin API', () => {
  it('finds the plugins it checks', () => {
    const names = plugins.map((d) => relative(repoRoot, d).split(sep).join('/'));
    expect(names).toEqual(
      expect.arrayContaining([
        'packages/plugin-disk',
        'packages/plugin-icloud',
        'packages/plugin-s3',
        'examples/lifeboat-plugin-archive',
        'examples/lifeboat-plugin-webdav',
        'test/fixtures/plugins/lifeboat-plugin-tokened',
      ]),
    );
    expect(names).not.toContain('packages/plugin-api');
  });

  it('tells an engine import or a path into core from an API import', () => {
    const root = join(repoRoot, 'packages', 'plugin-disk');
    const file = join(root, 'src', 'x.ts');
    const text = `import { a } from '@lifeboat/core';\nimport type { B } from '@lifeboat/plugin-api';\nexport * from "@lifeboat/core/testing";\nconst m = await import('../../core/src/index.js');\nimport './local.js';\nimport { startSimulator } from '@lifeboat/icloud-sim';`;
    expect(
      specifiers(text)
        .map((s) => offence(root, file, s))
        .filter(Boolean),
    ).toEqual([
      'imports @lifeboat/core',
      'imports @lifeboat/core/testing',
      'imports @lifeboat/icloud-sim',
      'reaches outside its package to packages/core/src/index.js',
    ]);
    expect(offence(root, join(root, 'src', 'x.test.ts'), '@lifeboat/icloud-sim')).toBeUndefined();
  });

  it.each(plugins.map((d) => [relative(repoRoot, d), d]))('%s imports nothing else', (_, root) => {
    const offences = sourceFiles(root).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .map((s) => offence(root, file, s))
        .filter((o) => o !== undefined)
        .map((o) => `${relative(repoRoot, file)} ${o}`),
    );
    expect(offences).toEqual([]);
  });

  it.each(plugins.map((d) => [relative(repoRoot, d), d]))('%s declares no Lifeboat package but the API', (_, root) => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    const fields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
    const declared = fields.flatMap((f) => Object.keys((pkg[f] as Record<string, string> | undefined) ?? {}));
    const runtime = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((f) =>
      Object.keys((pkg[f] as Record<string, string> | undefined) ?? {}),
    );
    const lifeboat = (name: string) => name.startsWith('@lifeboat/') && name !== '@lifeboat/plugin-api';
    expect(declared.filter((name) => lifeboat(name) && !TEST_TOOLS.has(name))).toEqual([]);
    expect(runtime.filter(lifeboat)).toEqual([]);
    // A plugin that imports the API peers on it (the host provides the one copy), with its manifest's range.
    const usesApi = sourceFiles(root).some((f) =>
      specifiers(readFileSync(f, 'utf8')).some((s) => ALLOWED_LIFEBOAT.has(s)),
    );
    const peer = (pkg.peerDependencies as Record<string, string> | undefined)?.['@lifeboat/plugin-api'];
    if (usesApi) expect(peer).toBe((pkg.lifeboat as { apiVersion?: string }).apiVersion);
  });
});
