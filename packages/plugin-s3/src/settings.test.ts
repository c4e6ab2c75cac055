import { describe, expect, it } from 'vitest';
import { defaultChecksumMode, s3Settings } from './settings.js';

describe('s3Settings', () => {
  it('fills every default for AWS, where checksumMode is when_supported', () => {
    expect(s3Settings({ bucket: 'photos' })).toEqual({
      bucket: 'photos',
      prefix: '',
      region: 'us-east-1',
      forcePathStyle: false,
      storageClass: 'STANDARD',
      serverSideEncryption: 'none',
      checksumMode: 'when_supported',
      offsite: true,
      layout: '{yyyy}/{mm}/{name}',
    });
  });

  it('defaults checksumMode to when_required once an endpoint is set', () => {
    expect(s3Settings({ bucket: 'b', endpoint: 'http://127.0.0.1:9000' }).checksumMode).toBe('when_required');
    expect(defaultChecksumMode(undefined)).toBe('when_supported');
    expect(defaultChecksumMode('https://s3.example.com')).toBe('when_required');
  });

  it('keeps an explicit checksumMode whatever the endpoint', () => {
    expect(
      s3Settings({ bucket: 'b', endpoint: 'https://r2.example', checksumMode: 'when_supported' }).checksumMode,
    ).toBe('when_supported');
    expect(s3Settings({ bucket: 'b', checksumMode: 'when_required' }).checksumMode).toBe('when_required');
  });

  it.each([
    ['', ''],
    ['photos', 'photos/'],
    ['/photos/', 'photos/'],
    ['backups/photos/', 'backups/photos/'],
  ])('normalises prefix %j to the folder %j', (prefix, expected) => {
    expect(s3Settings({ bucket: 'b', prefix }).prefix).toBe(expected);
  });

  it.each([
    [{ bucket: 'b', prefix: 'a//b' }, 'prefix'],
    [{ bucket: 'b', prefix: '../up' }, 'prefix'],
    [{ bucket: 'b', objectLockDays: 3 }, 'objectLockMode'],
    [{ bucket: 'b', objectLockMode: 'GOVERNANCE', objectLockDays: 1.5 }, 'objectLockDays'],
    [{ bucket: 'b', storageClass: 'COLD' }, 'storageClass'],
    [{ bucket: 'b', endpoint: 'not a url' }, 'endpoint'],
    [{ bucket: 'b', endpoint: 'https://key:secret@host' }, 'user name or password'],
    [{ bucket: 'b', forcePathStyle: 'yes' }, 'forcePathStyle'],
    [{}, 'bucket'],
  ])('refuses %j (a factory may be called without the schema)', (settings, named) => {
    expect(() => s3Settings(settings)).toThrow(named);
  });
});
