import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '@lifeboat/plugin-api';
import { type KeyCheckedDestination, PluginError, UsageError } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PluginHost } from './plugin-host.js';

let root: string;
let host: PluginHost;

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-host-'));
  host = new PluginHost({ storageRoot: join(root, 'state'), logger: () => quiet });
});
afterEach(async () => {
  await host.dispose();
  await rm(root, { recursive: true, force: true });
});

function manifest(id: string, type: string) {
  return {
    id,
    displayName: `Plugin ${id}`,
    apiVersion: '^1.0.0',
    main: './index.js',
    contributes: { destinations: [{ type, title: type, settings: { type: 'object' } }] },
  };
}

/**
 * A plugin folder whose entry module records, in files beside it, that it was evaluated, how often activate()
 * ran, and what deactivate() and the onDispose callback did.
 */
async function plugin(id: string, options: { type?: string; activate?: string; lifeboat?: unknown } = {}) {
  const dir = join(root, 'plugins', id);
  await mkdir(dir, { recursive: true });
  const type = options.type ?? `${id}-dest`;
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `lifeboat-plugin-${id}`,
      version: '1.2.3',
      lifeboat: options.lifeboat ?? manifest(id, type),
    }),
  );
  const log = (what: string) =>
    `appendFileSync(new URL('./log.txt', import.meta.url), ${JSON.stringify(`${what}\n`)});`;
  await writeFile(
    join(dir, 'index.js'),
    `import { appendFileSync } from 'node:fs';
${log('evaluated')}
export async function activate(context) {
  ${log('activate')}
  await new Promise((r) => setTimeout(r, 20));
  ${options.activate ?? ''}
  context.onDispose(() => { ${log('onDispose')} });
  return { destinations: { ${JSON.stringify(type)}: { create: () => ({ pluginId: context.pluginId, storageDir: context.storageDir }) } } };
}
export function deactivate() { ${log('deactivate')} }
`,
  );
  return dir;
}

async function log(dir: string): Promise<string[]> {
  const path = join(dir, 'log.txt');
  return existsSync(path) ? (await readFile(path, 'utf8')).trim().split('\n') : [];
}

describe('PluginHost', () => {
  it('registers a valid plugin as inactive without importing its code', async () => {
    const dir = await plugin('alpha');
    await host.register(dir, false);
    expect(host.list()).toEqual([
      expect.objectContaining({
        id: 'alpha',
        displayName: 'Plugin alpha',
        packageName: 'lifeboat-plugin-alpha',
        version: '1.2.3',
        state: 'inactive',
        destinations: ['alpha-dest'],
        sources: [],
      }),
    ]);
    expect(host.contribution('destination', 'alpha-dest').pluginId).toBe('alpha');
    expect(await log(dir)).toEqual([]);
  });

  it('imports and activates the plugin on the first factory() call', async () => {
    const dir = await plugin('alpha');
    await host.register(dir, false);
    const factory = await host.factory('destination', 'alpha-dest');
    expect(await log(dir)).toEqual(['evaluated', 'activate']);
    expect(host.list()[0]!.state).toBe('active');
    const checked = (await factory.create({}, {} as never)) as KeyCheckedDestination;
    const created = checked.inner as unknown as { pluginId: string; storageDir: string };
    expect(created.pluginId).toBe('alpha');
    expect(created.storageDir).toBe(join(root, 'state', 'alpha'));
    expect(existsSync(created.storageDir)).toBe(true);
  });

  it('activates once even when factory() is called concurrently', async () => {
    const dir = await plugin('alpha');
    await host.register(dir, false);
    const factories = await Promise.all([1, 2, 3, 4].map(() => host.factory('destination', 'alpha-dest')));
    expect(new Set(factories).size).toBe(1);
    expect(await log(dir)).toEqual(['evaluated', 'activate']);
  });

  it('reports a plugin whose activate() throws as failed, and keeps the others working', async () => {
    const bad = await plugin('broken', { activate: `throw new Error('no token configured');` });
    const good = await plugin('good');
    await host.register(bad, false);
    await host.register(good, false);

    const error = await host.factory('destination', 'broken-dest').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).message).toContain('broken');
    expect((error as PluginError).message).toContain('no token configured');
    await expect(host.factory('destination', 'broken-dest')).rejects.toThrow('no token configured');

    const broken = host.list().find((p) => p.id === 'broken')!;
    expect(broken.state).toBe('failed');
    expect(broken.error).toContain('no token configured');
    await expect(host.factory('destination', 'good-dest')).resolves.toBeDefined();
    expect(host.list().find((p) => p.id === 'good')!.state).toBe('active');
  });

  it('reports an entry module without activate() as failed', async () => {
    const dir = await plugin('empty');
    await writeFile(join(dir, 'index.js'), 'export const nothing = 1;\n');
    await host.register(dir, false);
    await expect(host.factory('destination', 'empty-dest')).rejects.toThrow(/empty.*exports no activate/);
  });

  it('marks the second plugin with an id already taken as failed', async () => {
    await host.register(await plugin('alpha'), false);
    const copy = await plugin('alpha-copy', { lifeboat: manifest('alpha', 'other-dest') });
    await host.register(copy, false);
    const [first, second] = host.list();
    expect(first).toMatchObject({ id: 'alpha', state: 'inactive' });
    expect(second).toMatchObject({ id: 'alpha', state: 'failed', packageName: 'lifeboat-plugin-alpha-copy' });
    expect(second!.error).toContain('"alpha" is already taken');
    expect(() => host.contribution('destination', 'other-dest')).toThrow(UsageError);
  });

  it('answers an unknown type with a UsageError listing the known types and failed plugins', async () => {
    await host.register(await plugin('alpha'), false);
    await host.register(await plugin('beta'), false);
    await host.register(await plugin('gamma', { lifeboat: { id: 'gamma' } }), false);
    const error = await host.factory('destination', 'ftp').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('"ftp"');
    expect((error as UsageError).hint).toContain('alpha-dest, beta-dest');
    expect((error as UsageError).hint).toContain('lifeboat-plugin-gamma');
    expect(() => host.contribution('source', 'alpha-dest')).toThrow(/Unknown source type/);
  });

  it('records a folder with no readable package.json as failed', async () => {
    const dir = join(root, 'plugins', 'nothing');
    await mkdir(dir, { recursive: true });
    await host.register(dir, true);
    expect(host.list()[0]).toMatchObject({ id: dir, state: 'failed', builtin: true });
    expect(host.list()[0]!.error).toContain('Cannot read plugin package');
  });

  it('runs onDispose callbacks and deactivate() on dispose, once', async () => {
    const dir = await plugin('alpha');
    await host.register(dir, false);
    await host.factory('destination', 'alpha-dest');
    await host.dispose();
    expect(await log(dir)).toEqual(['evaluated', 'activate', 'deactivate', 'onDispose']);
    await host.dispose();
    expect(await log(dir)).toHaveLength(4);
  });

  it('keeps disposing when one disposer throws', async () => {
    const dir = await plugin('alpha', { activate: `context.onDispose(() => { throw new Error('x'); });` });
    await host.register(dir, false);
    await host.factory('destination', 'alpha-dest');
    await expect(host.dispose()).resolves.toBeUndefined();
    expect(await log(dir)).toContain('onDispose');
    expect(await log(dir)).toContain('deactivate');
  });

  it('hands out destinations behind the key checks: an invalid key never reaches the plugin', async () => {
    const dir = join(root, 'plugins', 'keys');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'keys', version: '1.0.0', lifeboat: manifest('keys', 'keys') }),
    );
    // Every call the destination receives is logged; stat answers "missing".
    await writeFile(
      join(dir, 'index.js'),
      `export const calls = [];
export function activate() {
  const record = (op) => async (key) => { calls.push(op + ' ' + key); return undefined; };
  return { destinations: { keys: { create: () => ({ stat: record('stat'), read: record('read'), delete: record('delete'),
    write: record('write'), describe: async () => ({}), list: async function* () {} }) } } };
}`,
    );
    await host.register(dir, false);
    const destination = await (await host.factory('destination', 'keys')).create({}, {} as never);
    for (const bad of ['../escape', '/abs', 'a//b', 'a\\b', 'ctl\u0007.jpg', '']) {
      await expect(destination.stat(bad)).rejects.toMatchObject({ code: 'LIFEBOAT_INVALID_KEY' });
      await expect(destination.read(bad)).rejects.toMatchObject({ code: 'LIFEBOAT_INVALID_KEY' });
      await expect(destination.delete(bad)).rejects.toMatchObject({ code: 'LIFEBOAT_INVALID_KEY' });
      await expect(destination.write(bad, (async function* () {})(), { size: 0 })).rejects.toMatchObject({
        code: 'LIFEBOAT_INVALID_KEY',
      });
    }
    await destination.stat('2019/05/IMG 1.jpg');
    const { calls } = (await import(pathToFileURL(join(dir, 'index.js')).href)) as { calls: string[] };
    expect(calls).toEqual(['stat 2019/05/IMG 1.jpg']);
  });
});
