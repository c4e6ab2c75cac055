import { describe, expect, it } from 'vitest';
import { keychainPrefix } from './paths.js';

describe('keychainPrefix', () => {
  it('is the same for every home unless a namespace is asked for (a fresh home finds the saved sign-ins)', () => {
    expect(keychainPrefix({})).toBe('lifeboat');
    expect(keychainPrefix({ LIFEBOAT_HOME: '/srv/a' })).toBe('lifeboat');
    expect(keychainPrefix({ LIFEBOAT_KEYCHAIN_NAMESPACE: ' ' })).toBe('lifeboat');
  });

  it('files the secrets of a namespace apart', () => {
    expect(keychainPrefix({ LIFEBOAT_KEYCHAIN_NAMESPACE: 'trial-2' })).toBe('lifeboat@trial-2');
  });

  it('refuses a namespace that would change the shape of the service names', () => {
    expect(() => keychainPrefix({ LIFEBOAT_KEYCHAIN_NAMESPACE: 'a/b' })).toThrow(/LIFEBOAT_KEYCHAIN_NAMESPACE "a\/b"/);
  });
});
