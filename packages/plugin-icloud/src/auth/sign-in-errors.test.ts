import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ICLOUD_ERRORS } from '../errors.js';
import { IcloudHttp } from '../http/client.js';
import { newSessionState } from '../http/session-state.js';
import { AppleAuth } from './apple-auth.js';
import { parseAuthOptions } from './phones.js';
import { securityKeyNames } from './sign-in-errors.js';

describe('sign-in answers that are not a wrong password', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** An auth host whose signin/init answers a plausible SRP challenge (unless `limitInit`), and complete 503. */
  async function limitingAuth(options: { limitInit: boolean; retryAfter?: string }) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      const limited = req.url?.includes('signin/complete') || options.limitInit;
      if (limited) {
        res.writeHead(503, options.retryAfter ? { 'Retry-After': options.retryAfter } : {});
        return res.end('Service Temporary Unavailable');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          iteration: 1000,
          salt: randomBytes(16).toString('base64'),
          protocol: 's2k',
          b: randomBytes(256).toString('base64'),
          c: 'challenge',
        }),
      );
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = new IcloudHttp(newSessionState(), { home: 'https://www.icloud.com' });
    const auth = new AppleAuth(
      http,
      { auth: `${base}/appleauth/auth`, authRoot: base, setup: `${base}/setup/ws/1`, home: 'https://www.icloud.com' },
      'me@example.com',
    );
    return { auth, seen };
  }

  it('ends on a 503 from signin/init, naming the wait from Retry-After, and asks nothing more', async () => {
    const { auth, seen } = await limitingAuth({ limitInit: true, retryAfter: '600' });
    const error = await auth.signIn('password', undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ICLOUD_ERRORS.SIGN_IN_LIMITED, retryable: false });
    expect((error as Error).message).toBe('Apple is limiting sign-ins; wait 10 minutes and try again');
    expect(seen).toHaveLength(1);
  });

  it('ends on a 503 from signin/complete the same way (30 minutes when Apple names no wait)', async () => {
    const { auth, seen } = await limitingAuth({ limitInit: false });
    const error = await auth.signIn('password', undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ICLOUD_ERRORS.SIGN_IN_LIMITED });
    expect((error as Error).message).toMatch(/wait 30 minutes/);
    expect(seen.map((u) => u.replace(/\?.*/, ''))).toEqual([
      '/appleauth/auth/signin/init',
      '/appleauth/auth/signin/complete',
    ]);
  });
});

describe('security key detection', () => {
  it('finds fsaChallenge / keyNames in a 409 body, nested boot_args, or plain JSON options', () => {
    expect(
      securityKeyNames({
        authType: 'hsa2',
        fsaChallenge: { challenge: 'abc', keyHandles: ['h'], rpId: 'apple.com' },
        keyNames: ['YubiKey 5C'],
      }),
    ).toEqual(['YubiKey 5C']);
    expect(securityKeyNames({ direct: { fsaVerification: { fsaChallenge: { challenge: 'c' } } } })).toEqual([]);
    expect(securityKeyNames({ authType: 'hsa2' })).toBeUndefined();
    const html = `<script type="application/json" class="boot_args">${JSON.stringify({
      direct: { fsaChallenge: { challenge: 'c', keyHandles: ['k'], rpId: 'apple.com' }, keyNames: ['Office key'] },
    })}</script>`;
    expect(parseAuthOptions(html)).toEqual({ phones: [], securityKeys: ['Office key'] });
    expect(parseAuthOptions(JSON.stringify({ trustedPhoneNumbers: [{ id: 3, obfuscatedNumber: '••12' }] }))).toEqual({
      phones: [{ id: 3, label: '••12' }],
    });
  });
});
