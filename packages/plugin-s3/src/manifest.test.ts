import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PluginContext, readManifest, validateSettings } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { activate } from './index.js';
import { s3Settings } from './settings.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

async function contribution() {
  const { manifest } = await readManifest(packageDir);
  const s3 = manifest.contributes.destinations?.[0];
  if (!s3) throw new Error('manifest lacks its destination');
  return { manifest, s3 };
}

describe('plugin manifest', () => {
  it('is accepted by the host and matches what activate contributes', async () => {
    const { manifest, s3 } = await contribution();
    expect(manifest.id).toBe('s3');
    expect(Object.keys(activate({} as PluginContext).destinations ?? {})).toEqual(['s3']);
    expect(s3.type).toBe('s3');
    expect(s3.secrets).toEqual(['accessKeyId', 'secretAccessKey']);
  });

  it('declares exactly the documented settings, with their defaults', async () => {
    const { s3 } = await contribution();
    expect(Object.keys(s3.settings.properties as object).sort()).toEqual(
      [
        'bucket',
        'prefix',
        'region',
        'endpoint',
        'forcePathStyle',
        'storageClass',
        'serverSideEncryption',
        'kmsKeyId',
        'checksumMode',
        'objectLockMode',
        'objectLockDays',
        'offsite',
        'medium',
        'layout',
      ].sort(),
    );
    expect(validateSettings('destination', s3, { bucket: 'photos' })).toEqual({
      bucket: 'photos',
      prefix: '',
      region: 'us-east-1',
      forcePathStyle: false,
      storageClass: 'STANDARD',
      serverSideEncryption: 'none',
      offsite: true,
      layout: '{yyyy}/{mm}/{name}',
    });
  });

  it('turns command-line strings into the declared types', async () => {
    const { s3 } = await contribution();
    const settings = validateSettings('destination', s3, {
      bucket: 'photos',
      forcePathStyle: 'true',
      objectLockMode: 'GOVERNANCE',
      objectLockDays: '30',
      offsite: 'false',
    });
    expect(settings).toMatchObject({ forcePathStyle: true, objectLockDays: 30, offsite: false });
    expect(s3Settings(settings).objectLock).toEqual({ mode: 'GOVERNANCE', days: 30 });
  });

  it.each([
    [{}, 'missing setting "bucket"'],
    [{ bucket: 'b', colour: 'red' }, 'unknown setting "colour"'],
    [{ bucket: 'b', storageClass: 'COLD' }, 'storageClass'],
    [{ bucket: 'b', serverSideEncryption: 'rot13' }, 'serverSideEncryption'],
    [{ bucket: 'b', checksumMode: 'always' }, 'checksumMode'],
    [{ bucket: 'b', objectLockMode: 'GOVERNANCE' }, 'objectLockDays'],
    [{ bucket: 'b', objectLockMode: 'FOREVER', objectLockDays: 3 }, 'objectLockMode'],
    [{ bucket: 'b', objectLockMode: 'COMPLIANCE', objectLockDays: 0 }, 'objectLockDays'],
    [{ bucket: 'b', endpoint: 'ftp://example.com' }, 'endpoint'],
    [{ bucket: 'b', endpoint: 'https://user:pw@example.com' }, 'endpoint'],
    [{ bucket: 'a/b' }, 'bucket'],
  ])('refuses %j, naming %s', async (given, named) => {
    const { s3 } = await contribution();
    expect(() => validateSettings('destination', s3, given)).toThrow(named);
  });
});
