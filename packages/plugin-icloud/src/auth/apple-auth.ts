import { TransientError } from '@lifeboat/plugin-api';
import { badCode, badPassword, loginRequired, protocolError, readAppleError } from '../errors.js';
import type { IcloudHttp, JsonResponse } from '../http/client.js';
import { parseRetryAfter } from '../http/pacer.js';
import { numberAt, stringAt } from '../json.js';
import { type AccountInfo, parseAccount } from './account.js';
import { type Endpoints, OAUTH_CLIENT_ID } from './endpoints.js';
import { parseAuthOptions, type TrustedPhone } from './phones.js';
import { securityKeyNames, securityKeyRequired, signInLimited, signInRefused } from './sign-in-errors.js';
import { SrpSession } from './srp.js';

/**
 * The individual calls of Apple's web sign-in (docs/icloud-protocol.md §Sign-in flow), each checking its answer. The
 * flow that strings them together (and decides when to prompt) is in `session.ts`.
 */
export class AppleAuth {
  constructor(
    readonly http: IcloudHttp,
    readonly endpoints: Endpoints,
    readonly appleId: string,
    readonly sourceName?: string,
  ) {}

  /** `POST {SETUP}/validate`: the account when the stored session still works, undefined when it does not. */
  async validate(signal?: AbortSignal): Promise<AccountInfo | undefined> {
    const r = await this.http.requestJson(
      `${this.endpoints.setup}/validate`,
      { method: 'POST', body: 'null', headers: { 'Content-Type': 'text/plain' }, ...opt(signal) },
      'iCloud session validation',
    );
    if (r.status !== 200) return undefined;
    try {
      return parseAccount(r.json);
    } catch (error) {
      if (stringAt(r.json, 'domainToUse')) throw error;
      return undefined;
    }
  }

  /** SRP `signin/init` + `signin/complete`, then `repair/complete` without 2FA (docs/icloud-protocol.md §SRP). */
  async signIn(password: string, trustToken: string | undefined, signal?: AbortSignal): Promise<void> {
    const srp = new SrpSession(this.appleId);
    const a = await srp.start();
    const init = await this.http.requestJson(
      `${this.endpoints.auth}/signin/init`,
      {
        method: 'POST',
        headers: this.#authHeaders({ srp: true }),
        body: JSON.stringify({ a, accountName: this.appleId, protocols: ['s2k', 's2k_fo'] }),
        allowThrottled: true,
        ...opt(signal),
      },
      'Apple sign-in',
    );
    throwIfLimited(init);
    if (init.status === 401 || init.status === 400) throw badPasswordFrom(init);
    if (init.status !== 200) throw protocolError(`signin/init answered HTTP ${init.status}`);
    const salt = base64Field(init, 'salt');
    const B = base64Field(init, 'b');
    const iterations = numberAt(init.json, 'iteration');
    const protocol = stringAt(init.json, 'protocol');
    const c = stringAt(init.json, 'c');
    if (!iterations || !Number.isSafeInteger(iterations) || iterations < 1 || iterations > 10_000_000)
      throw protocolError('signin/init gave no valid iteration count');
    if (protocol !== 's2k' && protocol !== 's2k_fo') throw protocolError(`unsupported password protocol ${protocol}`);
    if (c === undefined) throw protocolError('signin/init gave no challenge');
    const proof = await srp.prove(password, { protocol, salt, iterations, B });
    const complete = await this.http.requestJson(
      `${this.endpoints.auth}/signin/complete?isRememberMeEnabled=true`,
      {
        method: 'POST',
        headers: this.#authHeaders({ srp: true }),
        body: JSON.stringify({
          accountName: this.appleId,
          c,
          m1: proof.m1,
          m2: proof.m2,
          rememberMe: true,
          trustTokens: trustToken ? [trustToken] : [],
        }),
        allowThrottled: true,
        ...opt(signal),
      },
      'Apple sign-in',
    );
    throwIfLimited(complete);
    if (complete.status === 409) {
      const keys = securityKeyNames(complete.json);
      if (keys) throw securityKeyRequired(keys);
      return;
    }
    if (complete.status === 200) return;
    if (complete.status === 412) {
      const repair = await this.http.requestJson(
        `${this.endpoints.auth}/repair/complete`,
        { method: 'POST', headers: this.#authHeaders(), body: '{}', ...opt(signal) },
        'Apple sign-in',
      );
      if (repair.status >= 200 && repair.status < 300) return;
      throw protocolError(`repair/complete answered HTTP ${repair.status}`);
    }
    // Apple answers 403 for rate limits and rotated cookies too: not reported as a wrong password.
    if (complete.status === 403) throw signInRefused(this.sourceName);
    if (complete.status === 401 || complete.status === 400) throw badPasswordFrom(complete);
    throw protocolError(`signin/complete answered HTTP ${complete.status}`);
  }

  /** `POST {SETUP}/accountLogin` with the session and trust tokens (docs/icloud-protocol.md §Account login). */
  async accountLogin(trustToken: string | undefined, signal?: AbortSignal): Promise<AccountInfo> {
    const token = this.http.state.sessionToken;
    if (!token) throw loginRequired('No iCloud session is stored');
    const r = await this.http.requestJson(
      `${this.endpoints.setup}/accountLogin`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          accountCountryCode: this.http.state.accountCountry ?? '',
          dsWebAuthToken: token,
          extended_login: true,
          trustToken: trustToken ?? '',
        }),
        ...opt(signal),
      },
      'iCloud account sign-in',
    );
    if (stringAt(r.json, 'domainToUse')) return parseAccount(r.json); // throws the domain error
    if (r.status === 421 || r.status === 450 || r.status === 401 || r.status === 403)
      throw loginRequired('Apple no longer accepts the stored iCloud session');
    if (r.status >= 500) throw new TransientError(`iCloud account sign-in failed (HTTP ${r.status})`);
    if (r.status !== 200) throw protocolError(`accountLogin answered HTTP ${r.status}`);
    const account = parseAccount(r.json);
    this.http.state.dsid = account.dsid;
    this.http.state.ckdatabasewsUrl = account.ckdatabasewsUrl;
    return account;
  }

  /**
   * The second-factor options (`GET {AUTH}`, docs/icloud-protocol.md §Trusted phones): the phones a code can be sent to by SMS (empty when Apple
   * does not say). Throws SECURITY_KEY when Apple asks for a security key instead of a code.
   */
  async trustedPhones(signal?: AbortSignal): Promise<TrustedPhone[]> {
    let text: string;
    try {
      const r = await this.http.requestJson(
        this.endpoints.auth,
        { headers: this.#smsHeaders({ Accept: 'text/html, application/json' }), ...opt(signal) },
        'Apple sign-in',
      );
      if (r.status !== 200) return [];
      text = r.text;
    } catch (error) {
      if (signal?.aborted) throw error;
      return [];
    }
    const options = parseAuthOptions(text);
    if (options.securityKeys) throw securityKeyRequired(options.securityKeys);
    return options.phones;
  }

  /** Asks Apple to send a code by SMS (`PUT {AUTH}/verify/phone`, docs/icloud-protocol.md §SMS code). */
  async requestSms(phoneId: number, signal?: AbortSignal): Promise<void> {
    const r = await this.http.requestJson(
      `${this.endpoints.auth}/verify/phone`,
      {
        method: 'PUT',
        headers: this.#smsHeaders({ 'Content-Type': 'application/json; charset=utf-8' }),
        body: JSON.stringify({ phoneNumber: { id: phoneId }, mode: 'sms' }),
        ...opt(signal),
      },
      'Apple sign-in',
    );
    if (r.status < 200 || r.status >= 300) throw protocolError(`sending the SMS code failed (HTTP ${r.status})`);
  }

  /** Checks a code from a trusted device, or an SMS code if `phoneId` is given (docs/icloud-protocol.md §SMS code). */
  async verifyCode(code: string, phoneId: number | undefined, signal?: AbortSignal): Promise<void> {
    const r =
      phoneId === undefined
        ? await this.http.requestJson(
            `${this.endpoints.auth}/verify/trusteddevice/securitycode`,
            {
              method: 'POST',
              headers: this.#authHeaders({ accept: 'application/json' }),
              body: JSON.stringify({ securityCode: { code } }),
              ...opt(signal),
            },
            'Apple sign-in',
          )
        : await this.http.requestJson(
            `${this.endpoints.auth}/verify/phone/securitycode`,
            {
              method: 'POST',
              headers: {
                ...this.#smsHeaders({ Accept: 'application/json; charset=utf-8' }),
                'Content-Type': 'application/json',
              },
              body: JSON.stringify({ phoneNumber: { id: phoneId }, securityCode: { code }, mode: 'sms' }),
              ...opt(signal),
            },
            'Apple sign-in',
          );
    if (r.status >= 200 && r.status < 300) return;
    const info = readAppleError(r.json);
    if (r.status === 400 || r.status === 401 || info.code === '-21669') throw badCode();
    throw protocolError(`checking the verification code failed (HTTP ${r.status})`);
  }

  /** `GET {AUTH}/2sv/trust`: the token that spares later sign-ins the code (docs/icloud-protocol.md §Trust token). */
  async trust(signal?: AbortSignal): Promise<string | undefined> {
    const r = await this.http.requestJson(
      `${this.endpoints.auth}/2sv/trust`,
      { headers: this.#authHeaders(), ...opt(signal) },
      'Apple sign-in',
    );
    if (r.status < 200 || r.status >= 300) throw protocolError(`2sv/trust answered HTTP ${r.status}`);
    return r.headers.get('x-apple-twosv-trust-token') ?? undefined;
  }

  #authHeaders(options: { srp?: boolean; accept?: string } = {}): Record<string, string> {
    const state = this.http.state;
    const headers: Record<string, string> = {
      Accept: options.accept ?? 'application/json, text/javascript',
      'Content-Type': 'application/json',
      'X-Apple-OAuth-Client-Id': OAUTH_CLIENT_ID,
      'X-Apple-Widget-Key': OAUTH_CLIENT_ID,
      'X-Apple-OAuth-Client-Type': 'firstPartyAuth',
      'X-Apple-OAuth-Redirect-URI': this.endpoints.home,
      'X-Apple-OAuth-Require-Grant-Code': 'true',
      'X-Apple-OAuth-Response-Mode': 'web_message',
      'X-Apple-OAuth-Response-Type': 'code',
      'X-Apple-OAuth-State': state.clientId,
    };
    if (options.srp) {
      headers.Origin = this.endpoints.authRoot;
      headers.Referer = `${this.endpoints.authRoot}/`;
    }
    if (state.scnt) headers.scnt = state.scnt;
    if (state.sessionId) headers['X-Apple-ID-Session-Id'] = state.sessionId;
    return headers;
  }

  #smsHeaders(extra: Record<string, string>): Record<string, string> {
    const state = this.http.state;
    const headers: Record<string, string> = {
      'X-Apple-OAuth-Client-Id': OAUTH_CLIENT_ID,
      'X-Apple-OAuth-Client-Type': 'firstPartyAuth',
      'X-Apple-OAuth-Require-Grant-Code': 'true',
      'X-Apple-Widget-Key': OAUTH_CLIENT_ID,
      'X-Apple-OAuth-Redirect-URI': this.endpoints.home,
      'X-Apple-OAuth-State': state.clientId,
      ...extra,
    };
    if (state.scnt) headers.scnt = state.scnt;
    if (state.sessionId) headers['X-Apple-ID-Session-Id'] = state.sessionId;
    return headers;
  }
}

function opt(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function base64Field(r: JsonResponse, key: string): Uint8Array {
  const value = stringAt(r.json, key);
  if (!value || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw protocolError(`signin/init gave no valid ${key}`);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function badPasswordFrom(r: JsonResponse): Error {
  return badPassword(readAppleError(r.json).code === '-20283');
}

/** A sign-in answered 503/429 ends the sign-in: retrying into it makes Apple's limit last longer. */
function throwIfLimited(r: JsonResponse): void {
  if (r.status === 503 || r.status === 429)
    throw signInLimited(parseRetryAfter(r.headers.get('retry-after'), Date.now()));
}
