/**
 * The plugin API package is what an outside author builds against: `npm pack` of it must give a tarball that
 * installs alone into an empty project (no workspace around it), loads in Node and type-checks a plugin.
 * Runs on the built package (`tsc -b` first, like every e2e suite).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, repoRoot } from '../cli.js';

const run = promisify(execFile);
const apiDir = join(repoRoot, 'packages', 'plugin-api');
const version = (JSON.parse(readFileSync(join(apiDir, 'package.json'), 'utf8')) as { version: string }).version;

let root: string;
let app: string;
let tarball: string;

beforeAll(async () => {
  root = await makeTempDir('lifeboat-api-pack-');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', root], { cwd: apiDir });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(root, packed!.filename);
  app = join(root, 'app');
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-plugin', private: true, type: 'module' }));
  // Its dependencies come from the npm cache when they are there (this machine has them from the workspace).
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app });
}, 180_000);

afterAll(async () => {
  if (root) await removeDir(root);
});

describe('@lifeboat/plugin-api as a packed tarball', () => {
  it('installs alone and holds the built API, no sources or tests', () => {
    const installed = join(app, 'node_modules', '@lifeboat', 'plugin-api');
    const files = readdirSync(installed, { recursive: true }).map(String);
    expect(files).toContain(join('dist', 'index.js'));
    expect(files).toContain(join('dist', 'testing', 'index.js'));
    expect(files.filter((f) => f.includes('.test.') || f.startsWith('src'))).toEqual([]);
    // Nothing of Lifeboat but the API came along.
    expect(readdirSync(join(app, 'node_modules', '@lifeboat'))).toEqual(['plugin-api']);
  });

  it('loads in Node and reports the API version it is', async () => {
    const script = `import * as api from '@lifeboat/plugin-api';
const e = new api.NotFoundError('gone');
console.log(JSON.stringify({ version: api.PLUGIN_API_VERSION, code: e.code, isError: e instanceof Error }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ version, code: 'LIFEBOAT_NOT_FOUND', isError: true });
  });

  it('type-checks a plugin written against it', async () => {
    writeFileSync(
      join(app, 'plugin.ts'),
      `import type { PluginContext, PluginContributions } from '@lifeboat/plugin-api';
import { DEFAULT_LAYOUT, InvalidKeyError, validateLayout } from '@lifeboat/plugin-api';
export function activate(context: PluginContext): PluginContributions {
  validateLayout(DEFAULT_LAYOUT);
  if (context.pluginId === '') throw new InvalidKeyError('no id');
  return { destinations: {} };
}
`,
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const types = ['--typeRoots', join(repoRoot, 'node_modules', '@types'), '--types', 'node'];
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2023', ...types, 'plugin.ts'];
    const result = await run(process.execPath, [tsc, ...args], { cwd: app }).then(
      () => 'compiled',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('compiled');
  });
});
