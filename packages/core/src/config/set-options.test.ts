import { ConfigError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseSetOptions } from './set-options.js';

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

describe('parseSetOptions', () => {
  it('parses key=value pairs', () => {
    expect(parseSetOptions(['path=/media/a', 'offsite=true'])).toEqual({ path: '/media/a', offsite: 'true' });
  });

  it('keeps every "=" after the first in the value', () => {
    expect(parseSetOptions(['k=a=b'])).toEqual({ k: 'a=b' });
    expect(parseSetOptions(['token=abc=='])).toEqual({ token: 'abc==' });
  });

  it('accepts an empty value', () => {
    expect(parseSetOptions(['prefix='])).toEqual({ prefix: '' });
  });

  it('rejects a pair without "=" and one without a key', () => {
    expect(configError(() => parseSetOptions(['k'])).message).toContain('--set k');
    expect(configError(() => parseSetOptions(['=v'])).message).toContain('--set =v');
    expect(() => parseSetOptions(['  =v'])).toThrow(ConfigError);
  });

  it('gives none for no pairs', () => {
    expect(parseSetOptions([])).toEqual({});
  });
});
