import { describe, expect, it } from 'vitest';
import { keychainPrefix } from './paths.js';

describe('keychainPrefix', () => {
  it('keeps the plain prefix for the default home', () => {
    expect(keychainPrefix({})).toBe('lifeboat');
  });

  it('gives each LIFEBOAT_HOME a namespace of its own, the same for the same folder however it is written', () => {
    const a = keychainPrefix({ LIFEBOAT_HOME: '/srv/lifeboat/a' });
    expect(a).toMatch(/^lifeboat@[0-9a-f]{12}$/);
    expect(keychainPrefix({ LIFEBOAT_HOME: '/srv/lifeboat/b' })).not.toBe(a);
    expect(keychainPrefix({ LIFEBOAT_HOME: '/srv/lifeboat/x/../a/' })).toBe(a);
  });
});
