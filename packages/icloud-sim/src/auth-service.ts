/**
 * idmsa.apple.com/appleauth/auth: SRP sign-in, non-2FA repair, 2FA by trusted device or SMS, and 2sv/trust
 * (docs/icloud-protocol.md §Sign-in flow). Status codes, bodies and headers follow the recorded cassettes.
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAccount } from './accounts.js';
import { findAccount, type SimContext } from './context.js';
import { asRecord, type Headers, header, sendEmpty, sendJson, sendText } from './http-util.js';
import type { AuthSession } from './session-store.js';
import { bigFromBytes, checkClientProof, startHandshake } from './srp.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

const WRONG_PASSWORD = {
  serviceErrors: [
    {
      code: '-20101',
      message: 'Enter the email or phone number and password for your Apple Account.',
      suppressDismissal: false,
    },
  ],
};

const WRONG_CODE = {
  service_errors: [
    {
      code: '-21669',
      title: 'Incorrect Verification Code',
      message: 'Incorrect verification code.',
      suppressDismissal: false,
    },
  ],
  hasError: true,
};

/** Simulator's own answer when the session headers are missing or stale (Apple's exact body is not recorded). */
const NO_SESSION = {
  serviceErrors: [
    { code: '-20209', message: 'Your session has expired. Please sign in again.', suppressDismissal: false },
  ],
};

function sessionHeaders(session: AuthSession, extra: Headers = {}): Headers {
  return {
    'X-Apple-ID-Session-Id': session.id,
    scnt: session.scnt,
    'X-Apple-ID-Account-Country': 'USA',
    'X-Apple-Auth-Attributes': `sim-attr-${session.id.slice(0, 8)}`,
    ...extra,
  };
}

function phoneJson(phone: { id: number; lastTwoDigits: string }) {
  return {
    id: phone.id,
    numberWithDialCode: `+1 (•••) •••-••${phone.lastTwoDigits}`,
    obfuscatedNumber: `(•••) •••-••${phone.lastTwoDigits}`,
    pushMode: 'sms',
    lastTwoDigits: phone.lastTwoDigits,
  };
}

/** The HTML page of GET /appleauth/auth: trusted phones in boot_args (docs/icloud-protocol.md §Trusted phones). */
function bootArgsPage(account: SimAccount): string {
  if (account.securityKeys.length > 0) return securityKeyPage(account);
  const phones = account.phones.map(phoneJson);
  const args = {
    direct: {
      isReact: true,
      authUserType: 'hsa2',
      hasTrustedDevices: true,
      twoSV: {
        supportedPushModes: ['voice', 'sms'],
        phoneNumberVerification: {
          trustedPhoneNumbers: phones,
          securityCode: {
            length: 6,
            tooManyCodesSent: false,
            tooManyCodesValidated: false,
            securityCodeLocked: false,
            securityCodeCooldown: false,
          },
          authenticationType: 'hsa2',
          hsa2Account: true,
          trustedPhoneNumber: phones[0],
          restrictedAccount: false,
          managedAccount: false,
        },
        authFactors: ['robocall', 'sms', 'generatedcode'],
      },
      urlContext: '/appleauth',
      authType: 'hsa2',
      authInitialRoute: 'auth/verify/trusteddevice',
    },
    additional: { canRoute2sv: true },
  };
  return `<!DOCTYPE html><html><head><title>Apple ID (simulated)</title></head><body><script type="application/json" class="boot_args">${JSON.stringify(args)}</script></body></html>`;
}

/** The options page of an account whose second factor is a security key: a FIDO challenge, no phones. */
function securityKeyPage(account: SimAccount): string {
  const args = {
    direct: {
      isReact: true,
      authUserType: 'hsa2',
      hasTrustedDevices: false,
      twoSV: { authFactors: ['fsa2_hsa2'] },
      fsaChallenge: {
        challenge: randomBytes(32).toString('base64url'),
        keyHandles: account.securityKeys.map((_, i) => Buffer.from(`key-${i}`).toString('base64url')),
        rpId: 'apple.com',
        allowedCredentials: '',
      },
      keyNames: account.securityKeys,
      authType: 'hsa2',
      authInitialRoute: 'auth/verify/security-key',
    },
  };
  return `<!DOCTYPE html><html><head><title>Apple ID (simulated)</title></head><body><script type="application/json" class="boot_args">${JSON.stringify(args)}</script></body></html>`;
}

export async function handleAuth(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: unknown,
): Promise<void> {
  const method = req.method ?? 'GET';
  const input = asRecord(body);
  const session = () => ctx.sessions.authSession(header(req, 'X-Apple-ID-Session-Id'), header(req, 'scnt'));

  if (method === 'POST' && path === 'signin/init') {
    const account = findAccount(ctx, input.accountName);
    const aText = typeof input.a === 'string' ? input.a : '';
    const A = bigFromBytes(Buffer.from(aText, 'base64'));
    if (A === 0n) return sendJson(res, 400, { serviceErrors: [{ code: '-20001', message: 'Missing a.' }] });
    // Unknown accounts get a plausible answer too, and fail at signin/complete like a wrong password.
    const handshake = startHandshake(account?.verifier ?? bigFromBytes(randomBytes(32)));
    const c = ctx.sessions.newHandshakeKey();
    ctx.sessions.pending.set(c, { account, A, handshake, createdAt: ctx.now() });
    const salt = account?.salt ?? randomBytes(16);
    return sendJson(
      res,
      200,
      {
        iteration: account?.iterations ?? 20_064,
        salt: salt.toString('base64'),
        protocol: account?.protocol ?? 's2k',
        version: 1,
        b: Buffer.from(handshake.B.toString(16).padStart(512, '0'), 'hex').toString('base64'),
        c,
      },
      { scnt: randomBytes(12).toString('base64url') },
      'text/html;charset=UTF-8', // sic: Apple labels this JSON as HTML
    );
  }

  if (method === 'POST' && path === 'signin/complete') {
    if (ctx.faults.signinForbidden > 0) {
      ctx.faults.signinForbidden--;
      return sendEmpty(res, 403, { 'X-Apple-I-Rscd': '403' });
    }
    const c = typeof input.c === 'string' ? input.c : '';
    const pending = ctx.sessions.pending.get(c);
    ctx.sessions.pending.delete(c);
    const account = findAccount(ctx, input.accountName);
    const m1 = Buffer.from(typeof input.m1 === 'string' ? input.m1 : '', 'base64');
    const proof =
      pending?.account && account && pending.account === account
        ? checkClientProof({
            accountName: String(input.accountName),
            salt: account.salt,
            verifier: account.verifier,
            handshake: pending.handshake,
            A: pending.A,
            m1,
          })
        : { ok: false };
    const m2Sent = typeof input.m2 === 'string' ? Buffer.from(input.m2, 'base64') : undefined;
    if (!proof.ok || !account || (m2Sent && proof.m2 && !m2Sent.equals(proof.m2))) {
      return sendJson(res, 401, WRONG_PASSWORD, { 'X-Apple-I-Rscd': '401' }, JSON_TYPE);
    }
    const auth = ctx.sessions.createAuthSession(account);
    const token = ctx.sessions.issueSessionToken(auth);
    const headers = sessionHeaders(auth, {
      'X-Apple-Session-Token': token,
      'X-Apple-TwoSV-Trust-Eligible': 'true',
      Location: '/auth',
    });
    if (!account.twoFactor) {
      auth.verified = true;
      return sendJson(res, 412, { auth_type: 'sa' }, { ...headers, 'X-Apple-I-Rscd': '412' }, JSON_TYPE);
    }
    const trusted = ctx.sessions.isTrusted(account, input.trustTokens);
    if (trusted) {
      auth.verified = true;
      auth.trustToken = trusted;
      return sendJson(res, 200, { auth_type: 'hsa2' }, headers, JSON_TYPE);
    }
    return sendJson(res, 409, { authType: 'hsa2' }, { ...headers, 'X-Apple-I-Rscd': '409' }, JSON_TYPE);
  }

  const auth = session();
  if (!auth) return sendJson(res, 401, NO_SESSION, {}, JSON_TYPE);

  if (method === 'POST' && path === 'repair/complete') {
    auth.repaired = true;
    return sendEmpty(res, 200, sessionHeaders(auth, { 'X-Apple-Session-Token': ctx.sessions.issueSessionToken(auth) }));
  }

  if (method === 'GET' && path === '') {
    return sendText(res, 200, bootArgsPage(auth.account), sessionHeaders(auth), 'text/html; charset=UTF-8');
  }

  if (method === 'PUT' && path === 'verify/trusteddevice/securitycode') {
    return sendEmpty(res, 202, sessionHeaders(auth)); // "send the code to my devices again"
  }

  if (method === 'POST' && path === 'verify/trusteddevice/securitycode') {
    const code = asRecord(input.securityCode).code;
    return verifyCode(ctx, res, auth, code === auth.account.code, 204);
  }

  if (method === 'PUT' && path === 'verify/phone') {
    const id = Number(asRecord(input.phoneNumber).id);
    const phone = auth.account.phones.find((p) => p.id === id);
    if (!phone) {
      return sendJson(res, 400, {
        service_errors: [{ code: '-21500', message: 'Unknown phone number.' }],
        hasError: true,
      });
    }
    auth.smsSent.add(id);
    return sendJson(
      res,
      200,
      {
        trustedPhoneNumber: phoneJson(phone),
        trustedPhoneNumbers: auth.account.phones.map(phoneJson),
        securityCode: { length: 6, tooManyCodesSent: false, tooManyCodesValidated: false, securityCodeLocked: false },
        mode: 'sms',
        type: 'verification',
        authenticationType: 'hsa2',
        hsa2Account: true,
      },
      sessionHeaders(auth),
      JSON_TYPE,
    );
  }

  if (method === 'POST' && path === 'verify/phone/securitycode') {
    const id = Number(asRecord(input.phoneNumber).id);
    const code = asRecord(input.securityCode).code;
    // A code only counts for a phone an SMS was actually requested for in this session.
    return verifyCode(ctx, res, auth, auth.smsSent.has(id) && code === auth.account.code, 200);
  }

  if (method === 'GET' && path === '2sv/trust') {
    if (!auth.verified) return sendJson(res, 401, NO_SESSION, sessionHeaders(auth), JSON_TYPE);
    auth.trustToken = ctx.sessions.issueTrustToken(auth.account);
    return sendEmpty(
      res,
      204,
      sessionHeaders(auth, {
        'X-Apple-TwoSV-Trust-Token': auth.trustToken,
        'X-Apple-Session-Token': ctx.sessions.issueSessionToken(auth),
      }),
    );
  }

  sendJson(res, 404, { error: `no such auth endpoint: ${method} ${path}` });
}

function verifyCode(ctx: SimContext, res: ServerResponse, auth: AuthSession, ok: boolean, status: number) {
  if (!ok) return sendJson(res, 400, WRONG_CODE, sessionHeaders(auth, { 'X-Apple-I-Ercd': '-21669' }), JSON_TYPE);
  auth.verified = true;
  const headers = sessionHeaders(auth, {
    'X-Apple-Session-Token': ctx.sessions.issueSessionToken(auth),
    'X-Apple-OAuth-Grant-Code': `sim-grant-${auth.id.slice(0, 12)}`,
  });
  if (status === 204) return sendEmpty(res, 204, headers);
  sendJson(res, status, {}, headers, JSON_TYPE);
}
