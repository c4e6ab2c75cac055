import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClient } from './sim-client.js';
import { type Simulator, startSimulator } from './simulator.js';

let sim: Simulator;
let clock = Date.now();
const client = () => new SimClient(sim.authUrl, sim.setupUrl);

beforeAll(async () => {
  sim = await startSimulator({ assets: 10, sessionTtlMs: 60_000, now: () => clock });
});
afterAll(() => sim.stop());

describe('SRP sign-in', () => {
  it('accepts the right password of an s2k account and asks for 2FA (409)', async () => {
    const c = client();
    const reply = await c.signIn(sim.account.appleId, sim.account.password);
    expect(reply.status).toBe(409);
    expect(reply.headers.get('X-Apple-Session-Token')).toBeTruthy();
    expect(reply.headers.get('X-Apple-ID-Session-Id')).toBeTruthy();
    expect(reply.headers.get('scnt')).toBeTruthy();
  });

  it('accepts an s2k_fo account', async () => {
    const fo = sim.accounts.find((a) => a.protocol === 's2k_fo')!;
    expect((await client().signIn(fo.appleId, fo.password)).status).toBe(409);
  });

  it('answers a wrong password with 401 -20101', async () => {
    const reply = await client().signIn(sim.account.appleId, 'wrong password');
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      serviceErrors: [
        {
          code: '-20101',
          message: 'Enter the email or phone number and password for your Apple Account.',
          suppressDismissal: false,
        },
      ],
    });
  });

  it('treats an unknown Apple ID like a wrong password', async () => {
    expect((await client().signIn('nobody@lifeboat.test', 'x')).status).toBe(401);
  });

  it('signs a non-2FA account in with 412 then repair/complete', async () => {
    const legacy = sim.accounts.find((a) => !a.twoFactor)!;
    const c = client();
    const complete = await c.signIn(legacy.appleId, legacy.password);
    expect(complete.status).toBe(412);
    expect(complete.json).toEqual({ auth_type: 'sa' });
    expect((await c.accountLogin()).status).toBe(421); // repair first
    expect((await c.call('POST', `${sim.authUrl}/repair/complete`, {})).status).toBe(200);
    const login = await c.accountLogin();
    expect(login.status).toBe(200);
    expect(login.json).not.toHaveProperty('hsaChallengeRequired');
    expect((login.json.dsInfo as Record<string, unknown>).hsaVersion).toBeUndefined();
  });
});

describe('2FA', () => {
  it('rejects a wrong trusted-device code with 400 -21669, then accepts the right one', async () => {
    const c = client();
    await c.signIn(sim.account.appleId, sim.account.password);
    const before = await c.accountLogin();
    expect(before.json.hsaChallengeRequired).toBe(true);
    expect(before.json.hsaTrustedBrowser).toBe(false);
    const wrong = await c.call('POST', `${sim.authUrl}/verify/trusteddevice/securitycode`, {
      securityCode: { code: '000000' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('X-Apple-I-Ercd')).toBe('-21669');
    expect((wrong.json.service_errors as { code: string }[])[0]!.code).toBe('-21669');
    const right = await c.call('POST', `${sim.authUrl}/verify/trusteddevice/securitycode`, {
      securityCode: { code: sim.account.code },
    });
    expect(right.status).toBe(204);
    const trust = await c.call('GET', `${sim.authUrl}/2sv/trust`);
    expect(trust.status).toBe(204);
    expect(c.trustToken).toMatch(/^sim-trust-/);
    const login = await c.accountLogin();
    expect(login.status).toBe(200);
    expect(login.json.hsaChallengeRequired).toBe(false);
    expect(login.json.hsaTrustedBrowser).toBe(true);
    expect(c.cookies.get('X-APPLE-WEBAUTH-TOKEN')).toBeTruthy();
  });

  it('lists trusted phones in the boot_args page and verifies an SMS code only after sending one', async () => {
    const c = client();
    await c.signIn(sim.account.appleId, sim.account.password);
    const page = await c.call('GET', sim.authUrl);
    const boot = JSON.parse(/class="boot_args">(.*)<\/script>/.exec(page.text)![1]!);
    const phones = boot.direct.twoSV.phoneNumberVerification.trustedPhoneNumbers;
    expect(phones.length).toBeGreaterThan(0);
    const id = phones[0].id;
    const body = { phoneNumber: { id }, securityCode: { code: sim.account.code }, mode: 'sms' };
    expect((await c.call('POST', `${sim.authUrl}/verify/phone/securitycode`, body)).status).toBe(400);
    expect((await c.call('PUT', `${sim.authUrl}/verify/phone`, { phoneNumber: { id }, mode: 'sms' })).status).toBe(200);
    const wrong = { ...body, securityCode: { code: '999999' } };
    expect((await c.call('POST', `${sim.authUrl}/verify/phone/securitycode`, wrong)).status).toBe(400);
    expect((await c.call('POST', `${sim.authUrl}/verify/phone/securitycode`, body)).status).toBe(200);
    expect((await c.call('GET', `${sim.authUrl}/2sv/trust`)).status).toBe(204);
    expect((await c.accountLogin()).json.hsaTrustedBrowser).toBe(true);
  });

  it('honours a trust token on the next sign-in (200, no 2FA) until it is expired', async () => {
    const first = client();
    await first.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
    const again = client();
    again.trustToken = first.trustToken;
    const complete = await again.signIn(sim.account.appleId, sim.account.password);
    expect(complete.status).toBe(200);
    const login = await again.accountLogin();
    expect(login.json.hsaChallengeRequired).toBe(false);
    sim.expireTrustTokens();
    const third = client();
    third.trustToken = first.trustToken;
    expect((await third.signIn(sim.account.appleId, sim.account.password)).status).toBe(409);
  });
});

describe('sessions', () => {
  it('validates a live session, and answers 421 on CloudKit and validate once it expires', async () => {
    const c = client();
    const login = await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
    expect(login.status).toBe(200);
    expect(c.ckUrl).toBe(sim.baseUrl);
    expect((await c.call('POST', `${sim.setupUrl}/validate`, 'null')).status).toBe(200);
    const zones = await c.ck('private', 'zones/list', {}, false);
    expect(zones.status).toBe(200);
    clock += 61_000;
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(421);
    const validate = await c.call('POST', `${sim.setupUrl}/validate`, 'null');
    expect(validate.status).toBe(421);
    expect(validate.json).not.toHaveProperty('dsInfo');
    // Signing in again (trusted: no 2FA) restores access.
    expect((await c.signIn(sim.account.appleId, sim.account.password)).status).toBe(200);
    await c.accountLogin();
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(200);
  });

  it('validate refreshes the web session cookie: the new token outlives the old one', async () => {
    const c = client();
    await c.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
    const old = c.cookies.get('X-APPLE-WEBAUTH-TOKEN')!;
    clock += 40_000;
    expect((await c.call('POST', `${sim.setupUrl}/validate`, 'null')).status).toBe(200);
    const renewed = c.cookies.get('X-APPLE-WEBAUTH-TOKEN')!;
    expect(renewed).not.toBe(old);
    clock += 30_000; // 70 s after sign-in (the TTL is 60 s), 30 s after validate
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(200);
    c.cookies.set('X-APPLE-WEBAUTH-TOKEN', old);
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(421);
  });

  it('gives no web session before the 2FA code: CloudKit answers 421', async () => {
    const c = client();
    await c.signIn(sim.account.appleId, sim.account.password);
    await c.accountLogin();
    c.ckUrl = sim.baseUrl;
    expect((await c.ck('private', 'zones/list', {}, false)).status).toBe(421);
  });
});
