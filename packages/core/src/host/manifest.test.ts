import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@lifeboat/plugin-api';
import { PLUGIN_API_VERSION, PluginError, readManifest } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PluginHost } from './plugin-host.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-manifest-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function valid(): Record<string, unknown> {
  return {
    id: 'cloud-box',
    displayName: 'Cloud Box',
    apiVersion: '^1.0.0',
    main: './index.js',
    contributes: {
      destinations: [{ type: 'box', title: 'Box', settings: { type: 'object' }, secrets: ['token'] }],
    },
  };
}

let count = 0;
/** A plugin folder whose entry module would throw if it were ever imported. */
async function pluginDir(lifeboat: unknown, name = 'lifeboat-plugin-box'): Promise<string> {
  const dir = join(root, `p${count++}`);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '2.0.1', lifeboat }));
  await writeFile(join(dir, 'index.js'), "throw new Error('plugin code must not run');\n");
  return dir;
}

async function refusal(lifeboat: unknown): Promise<PluginError> {
  const error = await readManifest(await pluginDir(lifeboat)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PluginError);
  expect((error as PluginError).code).toBe('LIFEBOAT_PLUGIN');
  return error as PluginError;
}

describe('readManifest', () => {
  it('reads a valid manifest without importing the plugin', async () => {
    const dir = await pluginDir(valid());
    const loaded = await readManifest(dir);
    expect(loaded).toEqual({ manifest: valid(), packageName: 'lifeboat-plugin-box', version: '2.0.1', dir });
  });

  it('reads optional secrets, and refuses a secret listed as both required and optional', async () => {
    const withOptional = valid();
    withOptional.contributes = {
      destinations: [{ type: 'box', title: 'Box', settings: { type: 'object' }, optionalSecrets: ['token'] }],
    };
    const loaded = await readManifest(await pluginDir(withOptional));
    expect(loaded.manifest.contributes.destinations?.[0]?.optionalSecrets).toEqual(['token']);
    const both = valid();
    both.contributes = {
      destinations: [
        { type: 'box', title: 'Box', settings: { type: 'object' }, secrets: ['token'], optionalSecrets: ['token'] },
      ],
    };
    const error = await refusal(both);
    expect(error.message).toContain('secret "token" of type "box" is listed in both');
    const notStrings = valid();
    notStrings.contributes = {
      destinations: [{ type: 'box', title: 'Box', settings: { type: 'object' }, optionalSecrets: [7] }],
    };
    expect((await refusal(notStrings)).message).toContain('optionalSecrets');
  });

  it('refuses a manifest without main, naming the plugin and the field', async () => {
    const { main: _, ...lifeboat } = valid();
    const error = await refusal(lifeboat);
    expect(error.message).toContain('lifeboat-plugin-box');
    expect(error.message).toContain('main');
  });

  it('refuses a bad id, naming lifeboat.id', async () => {
    const error = await refusal({ ...valid(), id: 'Cloud Box!' });
    expect(error.message).toContain('lifeboat-plugin-box');
    expect(error.message).toContain('"lifeboat.id"');
  });

  it('refuses fields of the wrong type, naming each path', async () => {
    expect((await refusal({ ...valid(), displayName: 42 })).message).toContain('"lifeboat.displayName"');
    expect((await refusal({ ...valid(), contributes: { destinations: {} } })).message).toContain(
      '"lifeboat.contributes.destinations"',
    );
    const badType = { ...valid(), contributes: { sources: [{ type: 'Bad Type', title: 't', settings: {} }] } };
    expect((await refusal(badType)).message).toContain('"lifeboat.contributes.sources.0.type"');
  });

  it('refuses a package without a lifeboat key', async () => {
    const error = await refusal(undefined);
    expect(error.message).toContain('lifeboat-plugin-box has no "lifeboat" manifest');
  });

  it('refuses an unsupported plugin API range, naming the field, the range and this API version', async () => {
    const error = await refusal({ ...valid(), apiVersion: '^2.0.0' });
    expect(error.message).toContain('cloud-box');
    expect(error.message).toContain('lifeboat.apiVersion');
    expect(error.message).toContain('^2.0.0');
    expect(error.message).toContain(PLUGIN_API_VERSION);
    expect(error.hint).toContain(PLUGIN_API_VERSION);
  });

  it('refuses an apiVersion that is not a semver range', async () => {
    expect((await refusal({ ...valid(), apiVersion: 'latest' })).message).toContain('"latest"');
  });

  it('accepts ranges that include this API version', async () => {
    for (const apiVersion of ['1.x', '>=1.0.0 <2', '^1.0.0 || ^2.0.0']) {
      await expect(readManifest(await pluginDir({ ...valid(), apiVersion }))).resolves.toBeDefined();
    }
  });

  it('refuses unreadable JSON', async () => {
    const dir = await pluginDir(valid());
    await writeFile(join(dir, 'package.json'), '{ not json');
    await expect(readManifest(dir)).rejects.toThrow(/Cannot read plugin package/);
  });
});

describe('PluginHost.register with a refused manifest', () => {
  it('lists the plugin as failed, by package name, with the reason', async () => {
    const logger = (): Logger => ({ debug() {}, info() {}, warn() {}, error() {} });
    const host = new PluginHost({ storageRoot: join(root, 'state'), logger });
    await host.register(await pluginDir({ ...valid(), apiVersion: '^2.0.0' }, 'lifeboat-plugin-future'), false);
    await host.register(await pluginDir({ ...valid(), id: 'x y' }, 'lifeboat-plugin-badid'), false);
    const [future, badId] = host.list();
    expect(future).toMatchObject({ id: 'cloud-box', packageName: 'lifeboat-plugin-future', state: 'failed' });
    expect(future!.error).toContain('lifeboat.apiVersion');
    expect(badId).toMatchObject({ id: 'lifeboat-plugin-badid', state: 'failed', version: '2.0.1' });
    expect(badId!.error).toContain('lifeboat.id');
    expect(host.contributions('destination')).toEqual([]);
  });
});
