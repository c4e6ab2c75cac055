import type { Logger, LoginPrompts, ScopedSecrets } from '@lifeboat/plugin-api';
import { LifeboatError } from '@lifeboat/plugin-api';
import { ICLOUD_ERRORS, loginRequired, webAccessOff } from '../errors.js';
import { type FetchLike, IcloudHttp } from '../http/client.js';
import { type Backoff, HostPacer } from '../http/pacer.js';
import { newSessionState, parseSession, serializeSession } from '../http/session-state.js';
import { type AccountInfo, requires2fa, requires2sa } from './account.js';
import { AppleAuth } from './apple-auth.js';
import type { Endpoints } from './endpoints.js';

/** Keys of the instance's secrets (the OS keychain): the session and the 2FA trust token. */
export const SECRET_KEYS = { session: 'session', trustToken: 'trustToken' } as const;

/** How many silent re-authentications one run may do before asking the user to sign in (no retry storms). */
const MAX_REAUTH_PER_RUN = 3;

export interface SessionOptions {
  appleId: string;
  endpoints: Endpoints;
  secrets: ScopedSecrets;
  /** The instance name, for messages (`lifeboat login <name>`). */
  sourceName?: string;
  logger?: Logger;
  fetch?: FetchLike;
  /** How long a host that answered 503/429 without Retry-After is left alone (doubling per throttle in a row). */
  backoff?: Backoff;
}

/**
 * A signed-in iCloud session: sign-in with prompts (`login`), resuming a stored session without prompts
 * (`resume`), and a silent re-authentication when Apple drops the session mid-run (`reauthenticate`). The
 * session and the trust token live only in the instance's secrets; the password is never kept.
 */
export class IcloudSession {
  readonly options: SessionOptions;
  http: IcloudHttp;
  auth: AppleAuth;
  account: AccountInfo | undefined;
  #trustToken: string | undefined;
  #reauths = 0;
  #reauthInFlight: Promise<void> | undefined;
  #renewalRefused: LifeboatError | undefined;
  #generation = 0;
  /** Outlives the HTTP clients a renewal replaces: a host's Retry-After holds across them. */
  readonly pacer: HostPacer;

  constructor(options: SessionOptions) {
    this.options = options;
    this.pacer = new HostPacer(options.backoff ? { backoff: options.backoff } : {});
    this.http = this.#makeHttp(newSessionState());
    this.auth = new AppleAuth(this.http, options.endpoints, options.appleId, options.sourceName);
  }

  /** Increases each time the session is renewed: a request that failed under an older one may simply retry. */
  get generation(): number {
    return this.#generation;
  }

  /** Interactive sign-in (`lifeboat login`): reuses a valid stored session, otherwise password, 2FA, trust. */
  async login(prompts: LoginPrompts, signal?: AbortSignal): Promise<AccountInfo> {
    await this.#load();
    if (this.http.state.sessionToken || this.http.jar.toJSON().length > 0) {
      const account = await this.auth.validate(signal).catch((error) => {
        if (error instanceof LifeboatError && error.code === ICLOUD_ERRORS.WRONG_DOMAIN) throw error;
        return undefined;
      });
      if (account && !requires2fa(account) && !requires2sa(account)) {
        prompts.info(`Already signed in to iCloud as ${this.options.appleId}.`);
        return this.#accept(account);
      }
    }
    const password = await prompts.password(`Apple Account password for ${this.options.appleId}`);
    // A fresh session: old cookies and tokens must not mix with the new sign-in (the client id is kept).
    this.#reset();
    await this.auth.signIn(password, this.#trustToken, signal);
    let account = await this.auth.accountLogin(this.#trustToken, signal);
    if (requires2fa(account)) {
      await this.#secondFactor(prompts, signal);
      const token = await this.auth.trust(signal);
      if (token) this.#trustToken = token;
      account = await this.auth.accountLogin(this.#trustToken, signal);
      if (requires2fa(account)) throw loginRequired('Apple still asks for a verification code after it was accepted');
    } else if (requires2sa(account)) {
      throw new LifeboatError(
        ICLOUD_ERRORS.LOGIN_REQUIRED,
        'This Apple Account uses the old two-step verification, which Lifeboat does not support',
        { hint: 'turn on two-factor authentication for your Apple Account, then run `lifeboat login` again' },
      );
    }
    prompts.info(`Signed in to iCloud as ${this.options.appleId}.`);
    return this.#accept(account);
  }

  /** Uses the stored session without prompting: validate, else a fresh accountLogin from the stored tokens. */
  async resume(signal?: AbortSignal): Promise<AccountInfo> {
    await this.#load();
    if (!this.http.state.sessionToken && this.http.jar.toJSON().length === 0)
      throw loginRequired(`Not signed in to iCloud as ${this.options.appleId}`, this.options.sourceName);
    const valid = await this.auth.validate(signal);
    if (valid && !requires2fa(valid) && !requires2sa(valid)) return this.#accept(valid);
    return this.#accept(await this.#silentLogin(signal));
  }

  /**
   * Apple dropped the session mid-run (421): renew it once from the stored session token and trust token, with no
   * prompt. Concurrent callers share one attempt. Fails with LOGIN_REQUIRED when that is not enough.
   */
  async reauthenticate(failedGeneration: number, signal?: AbortSignal): Promise<void> {
    if (failedGeneration !== this.#generation) return; // someone renewed it meanwhile
    if (this.#renewalRefused) throw this.#renewalRefused; // asking Apple again would not help: no retry storm
    if (!this.#reauthInFlight) {
      this.#reauthInFlight = (async () => {
        if (++this.#reauths > MAX_REAUTH_PER_RUN)
          throw loginRequired('iCloud keeps ending the session', this.options.sourceName);
        this.options.logger?.info('iCloud session expired; renewing it from the stored session');
        await this.#accept(await this.#silentLogin(signal));
      })()
        .catch((error) => {
          if (error instanceof LifeboatError && !error.retryable) this.#renewalRefused = error;
          throw error;
        })
        .finally(() => {
          this.#reauthInFlight = undefined;
        });
    }
    await this.#reauthInFlight;
  }

  /** Writes the session (cookies, tokens) to the keychain. */
  async persist(): Promise<void> {
    await this.options.secrets.set(SECRET_KEYS.session, serializeSession(this.http.snapshot()));
    if (this.#trustToken) await this.options.secrets.set(SECRET_KEYS.trustToken, this.#trustToken);
  }

  async #silentLogin(signal?: AbortSignal): Promise<AccountInfo> {
    try {
      const account = await this.auth.accountLogin(this.#trustToken, signal);
      if (requires2fa(account) || requires2sa(account))
        throw loginRequired('Apple asks for a new verification code', this.options.sourceName);
      return account;
    } catch (error) {
      if (error instanceof LifeboatError && (error.retryable || error.code === ICLOUD_ERRORS.WRONG_DOMAIN)) throw error;
      if (error instanceof LifeboatError && error.code === ICLOUD_ERRORS.LOGIN_REQUIRED) {
        throw loginRequired(`The iCloud session for ${this.options.appleId} has expired`, this.options.sourceName);
      }
      throw error;
    }
  }

  async #secondFactor(prompts: LoginPrompts, signal?: AbortSignal): Promise<void> {
    const phones = await this.auth.trustedPhones(signal);
    const methods = phones.map((p) => ({ id: `sms:${p.id}`, label: `Text message to ${p.label}` }));
    let phoneId: number | undefined;
    let message = 'Enter the verification code shown on your Apple device';
    for (let asked = 0; asked < 5; asked++) {
      const answer = await prompts.code({ message, methods });
      if ('code' in answer) {
        const code = answer.code.trim();
        if (!/^\d{4,8}$/.test(code)) {
          message = 'A verification code is 6 digits; enter it again';
          continue;
        }
        await this.auth.verifyCode(code, phoneId, signal);
        return;
      }
      const phone = phones.find((p) => `sms:${p.id}` === answer.method);
      if (!phone) {
        message = `Unknown method ${answer.method}; enter the code shown on your Apple device`;
        continue;
      }
      await this.auth.requestSms(phone.id, signal);
      phoneId = phone.id;
      message = `Enter the code sent by text message to ${phone.label}`;
    }
    throw loginRequired('No verification code was entered', this.options.sourceName);
  }

  async #load(): Promise<void> {
    const [sessionText, trustToken] = await Promise.all([
      this.options.secrets.get(SECRET_KEYS.session),
      this.options.secrets.get(SECRET_KEYS.trustToken),
    ]);
    const state = parseSession(sessionText);
    // The appleId setting changed since: that account's session and trust token are not sent for this one.
    const otherAccount = state !== undefined && state.appleId?.toLowerCase() !== this.options.appleId.toLowerCase();
    if (state && !otherAccount) this.#replaceHttp(state);
    this.#trustToken = otherAccount ? undefined : trustToken || undefined;
  }

  #reset(): void {
    const fresh = newSessionState();
    fresh.clientId = this.http.state.clientId;
    this.#replaceHttp(fresh);
  }

  #replaceHttp(state: ReturnType<typeof newSessionState>): void {
    this.http = this.#makeHttp(state);
    this.auth = new AppleAuth(this.http, this.options.endpoints, this.options.appleId, this.options.sourceName);
  }

  #makeHttp(state: ReturnType<typeof newSessionState>): IcloudHttp {
    return new IcloudHttp(state, {
      home: this.options.endpoints.home,
      pacer: this.pacer,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }

  async #accept(account: AccountInfo): Promise<AccountInfo> {
    if (!account.webAccessAllowed)
      throw webAccessOff(
        account.advancedDataProtection
          ? 'Advanced Data Protection is on and Access iCloud Data on the Web is off'
          : 'the account does not allow access to its data on the web',
      );
    this.account = account;
    this.http.state.appleId = this.options.appleId;
    this.http.state.dsid = account.dsid;
    this.http.state.ckdatabasewsUrl = account.ckdatabasewsUrl;
    this.#generation++;
    await this.persist();
    return account;
  }
}
