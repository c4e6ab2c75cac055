import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PluginContext, readManifest, validateSettings } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { activate } from './index.js';
import { DEFAULT_INCLUDE } from './media-types.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('plugin manifest', () => {
  it('is accepted by the host and matches what activate contributes', async () => {
    const { manifest } = await readManifest(packageDir);
    expect(manifest.id).toBe('disk');
    const contributions = activate({} as PluginContext);
    expect(manifest.contributes.sources?.map((c) => c.type)).toEqual(Object.keys(contributions.sources ?? {}));
    expect(manifest.contributes.destinations?.map((c) => c.type)).toEqual(
      Object.keys(contributions.destinations ?? {}),
    );
  });

  it('declares settings with the documented defaults, refusing unknown ones', async () => {
    const { manifest } = await readManifest(packageDir);
    const folder = manifest.contributes.sources?.[0];
    const disk = manifest.contributes.destinations?.[0];
    if (!folder || !disk) throw new Error('manifest lacks its contributions');
    expect(validateSettings('source', folder, { path: '~/Pictures' })).toEqual({
      path: '~/Pictures',
      followSymlinks: false,
      include: [...DEFAULT_INCLUDE],
    });
    expect(validateSettings('destination', disk, { path: '/media/a' })).toEqual({
      path: '/media/a',
      layout: '{yyyy}/{mm}/{name}',
      offsite: false,
      albumView: false,
    });
    expect(() => validateSettings('destination', disk, { path: '/media/a', colour: 'red' })).toThrow('colour');
    expect(() => validateSettings('source', folder, {})).toThrow('path');
  });
});
