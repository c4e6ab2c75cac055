import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';

describe('cookie jar', () => {
  const setup = new URL('https://setup.icloud.com/setup/ws/1/accountLogin');
  it('sends domain cookies to sibling hosts and host-only cookies only to their host', () => {
    const jar = new CookieJar();
    jar.store(setup, [
      'X-APPLE-WEBAUTH-TOKEN="v=2:t=abc"; Domain=.icloud.com; Path=/; Secure; HttpOnly; Expires=Tue, 16-Jan-2124 19:43:32 GMT',
      'HOSTONLY=1; Path=/',
    ]);
    expect(jar.header(new URL('https://p61-ckdatabasews.icloud.com/database/1/x'))).toBe(
      'X-APPLE-WEBAUTH-TOKEN="v=2:t=abc"',
    );
    expect(jar.header(new URL('https://setup.icloud.com/setup/ws/1/validate'))).toContain('HOSTONLY=1');
    expect(jar.header(new URL('https://cvws.icloud-content.com/B/x'))).toBeUndefined();
    expect(jar.header(new URL('http://p61-ckdatabasews.icloud.com/'))).toBeUndefined(); // Secure
  });

  it('refuses cookies for foreign domains, drops expired ones, and survives a save', () => {
    const jar = new CookieJar();
    jar.store(setup, ['EVIL=1; Domain=apple.com', 'OLD=1; Max-Age=0', 'KEEP=2; Domain=icloud.com; Path=/']);
    expect(jar.toJSON().map((c) => c.name)).toEqual(['KEEP']);
    const restored = new CookieJar(JSON.parse(JSON.stringify(jar.toJSON())));
    expect(restored.header(new URL('https://www.icloud.com/'))).toBe('KEEP=2');
    jar.store(setup, ['KEEP=3; Domain=icloud.com; Path=/']);
    expect(jar.header(new URL('https://www.icloud.com/'))).toBe('KEEP=3');
  });

  it('lets a loopback simulator stand in for Apple hosts', () => {
    const jar = new CookieJar();
    jar.store(new URL('http://127.0.0.1:4000/setup/ws/1/accountLogin'), ['T=1; Domain=.icloud.com; Path=/; Secure']);
    expect(jar.header(new URL('http://127.0.0.1:4000/database/1/x'))).toBe('T=1');
  });
});
