import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PluginContext, readManifest, validateSettings } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { activate } from './index.js';
import { DEFAULT_INCLUDE, DEFAULT_LISTING_CONCURRENCY, icloudSourceOptions } from './settings.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('plugin manifest and settings', () => {
  it('is accepted by the host and matches what activate contributes', async () => {
    const { manifest } = await readManifest(packageDir);
    expect(manifest.id).toBe('icloud');
    const contributions = activate({ storageDir: '/tmp/x' } as PluginContext);
    expect(manifest.contributes.sources?.map((c) => c.type)).toEqual(Object.keys(contributions.sources ?? {}));
    expect(typeof contributions.sources?.icloud?.login).toBe('function');
  });

  it('fills the documented defaults, refuses unknown settings and stores no password', async () => {
    const { manifest } = await readManifest(packageDir);
    const c = manifest.contributes.sources![0]!;
    expect(c.secrets ?? []).toEqual([]);
    expect(Object.keys(c.settings.properties as object)).not.toContain('password');
    const settings = validateSettings('source', c, { appleId: 'me@example.com' });
    expect(settings).toEqual({
      appleId: 'me@example.com',
      domain: 'com',
      library: 'primary',
      include: DEFAULT_INCLUDE,
      listingConcurrency: DEFAULT_LISTING_CONCURRENCY,
    });
    expect(icloudSourceOptions(settings).include).toEqual(DEFAULT_INCLUDE);
    expect(icloudSourceOptions(settings).listingConcurrency).toBe(DEFAULT_LISTING_CONCURRENCY);
    expect(() => validateSettings('source', c, { appleId: 'a', password: 'x' })).toThrow('password');
    expect(() => validateSettings('source', c, {})).toThrow('appleId');
    expect(() => validateSettings('source', c, { appleId: 'a', domain: 'de' })).toThrow('domain');
  });

  it('takes include flags from the command line as a list', async () => {
    const { manifest } = await readManifest(packageDir);
    const c = manifest.contributes.sources![0]!;
    const settings = validateSettings('source', c, { appleId: 'a', include: 'raw,recentlyDeleted' });
    expect(icloudSourceOptions(settings).include).toEqual({
      liveVideos: false,
      raw: true,
      edited: false,
      hidden: false,
      recentlyDeleted: true,
    });
    expect(icloudSourceOptions({ appleId: 'a', include: 'none' }).include.liveVideos).toBe(false);
    expect(icloudSourceOptions({ appleId: 'a', include: { recentlyDeleted: true } }).include).toEqual({
      ...DEFAULT_INCLUDE,
      recentlyDeleted: true,
    });
    expect(() => validateSettings('source', c, { appleId: 'a', include: 'bogus' })).toThrow();
    expect(() => icloudSourceOptions({ appleId: 'a', include: { bogus: true } })).toThrow('bogus');
    expect(() => icloudSourceOptions({ appleId: 'a', authUrl: 'ftp://x' })).toThrow('authUrl');
  });
});
