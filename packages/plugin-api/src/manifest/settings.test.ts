import { describe, expect, it } from 'vitest';
import type { ContributionManifest } from '../api/plugin.js';
import { ConfigError } from '../errors/index.js';
import { validateSettings } from './settings.js';

function contribution(): ContributionManifest {
  return {
    type: 'disk',
    title: 'Folder on a drive',
    settings: {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path: { type: 'string', format: 'path', minLength: 1 },
        offsite: { type: 'boolean', default: false },
        concurrency: { type: 'integer', minimum: 1, default: 4 },
        layout: { type: 'string', default: '{yyyy}/{mm}/{name}' },
        storageClass: { type: 'string', enum: ['STANDARD', 'GLACIER'] },
      },
    },
  };
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('LIFEBOAT_CONFIG');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateSettings', () => {
  it('fills in the declared defaults', () => {
    expect(validateSettings('destination', contribution(), { path: '/media/a' })).toEqual({
      path: '/media/a',
      offsite: false,
      concurrency: 4,
      layout: '{yyyy}/{mm}/{name}',
    });
  });

  it('turns command-line strings into the declared types', () => {
    const s = validateSettings('destination', contribution(), { path: '/m', offsite: 'true', concurrency: '12' });
    expect(s.offsite).toBe(true);
    expect(s.concurrency).toBe(12);
    expect(validateSettings('destination', contribution(), { path: '/m', offsite: 'false' }).offsite).toBe(false);
  });

  it('rejects a value that is not a boolean, naming the setting', () => {
    const error = configError(() => validateSettings('destination', contribution(), { path: '/m', offsite: 'maybe' }));
    expect(error.message).toContain('"offsite"');
    expect(error.message).toContain('boolean');
    expect(error.message).toContain('"disk"');
  });

  it('rejects a number out of range and a value outside an enum, saying what is allowed', () => {
    expect(
      configError(() => validateSettings('destination', contribution(), { path: '/m', concurrency: '0' })).message,
    ).toContain('"concurrency"');
    const error = configError(() => validateSettings('destination', contribution(), { path: '/m', storageClass: 'X' }));
    expect(error.message).toContain('"storageClass"');
    expect(error.message).toContain('STANDARD, GLACIER');
  });

  it('rejects unknown settings, naming them and listing the known ones', () => {
    const error = configError(() =>
      validateSettings('destination', contribution(), { path: '/m', offiste: 'true', colour: 'red' }),
    );
    expect(error.message).toContain('unknown setting "offiste"');
    expect(error.message).toContain('unknown setting "colour"');
    expect(error.hint).toContain('offsite');
  });

  it('names a missing required setting', () => {
    const error = configError(() => validateSettings('source', contribution(), { offsite: 'true' }));
    expect(error.message).toContain('missing setting "path"');
    expect(error.message).toContain('source type');
  });

  it('leaves its input untouched', () => {
    const given = { path: '/m', offsite: 'true' };
    const snapshot = structuredClone(given);
    const result = validateSettings('destination', contribution(), given);
    expect(given).toEqual(snapshot);
    expect(result).not.toBe(given);
  });

  it('accepts any string for a setting of format "path"', () => {
    for (const path of ['~/Pictures', 'relative/dir', '/abs with spaces/é']) {
      expect(validateSettings('destination', contribution(), { path }).path).toBe(path);
    }
  });

  it('validates the same contribution again and again (schema compiled safely)', () => {
    const c = contribution();
    for (let i = 0; i < 3; i++) expect(validateSettings('destination', c, { path: `/m${i}` }).path).toBe(`/m${i}`);
    const withId = { ...c, settings: { ...c.settings, $id: 'https://example.com/disk.json' } };
    expect(validateSettings('destination', withId, { path: '/a' }).path).toBe('/a');
    expect(validateSettings('destination', structuredClone(withId), { path: '/b' }).path).toBe('/b');
  });
});
