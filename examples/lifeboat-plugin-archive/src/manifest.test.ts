import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PluginContext, readManifest, validateSettings } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { activate } from './index.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('plugin manifest', () => {
  it('is accepted by the host and matches what activate contributes', async () => {
    const { manifest, packageName } = await readManifest(packageDir);
    expect(packageName).toBe('lifeboat-plugin-archive');
    expect(manifest.id).toBe('archive');
    expect(manifest.contributes.destinations?.map((c) => c.type)).toEqual(['archive']);
    expect(Object.keys(activate({} as PluginContext).destinations ?? {})).toEqual(['archive']);
  });

  it('fills the documented defaults and refuses unknown or missing settings', async () => {
    const contribution = (await readManifest(packageDir)).manifest.contributes.destinations?.[0];
    if (!contribution) throw new Error('manifest declares no destination');
    expect(validateSettings('destination', contribution, { path: '/media/a', offsite: 'true' })).toEqual({
      path: '/media/a',
      layout: '{yyyy}/{mm}/{name}',
      offsite: true,
    });
    expect(() => validateSettings('destination', contribution, { path: '/media/a', colour: 'red' })).toThrow('colour');
    expect(() => validateSettings('destination', contribution, {})).toThrow('path');
  });
});
