/**
 * Sign-in state on the simulated Apple side: SRP handshakes in flight, idmsa auth sessions (identified by the
 * X-Apple-ID-Session-Id + scnt headers, as Apple does), 2FA trust tokens, and the iCloud web sessions behind
 * the X-APPLE-WEBAUTH-TOKEN cookie, which expire after a configurable TTL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimAccount } from './accounts.js';
import type { ServerHandshake } from './srp.js';

export interface PendingSrp {
  account: SimAccount | undefined;
  A: bigint;
  handshake: ServerHandshake;
  createdAt: number;
}

export interface AuthSession {
  id: string;
  scnt: string;
  account: SimAccount;
  /** Password proven and, for 2FA accounts, a code entered or a valid trust token presented. */
  verified: boolean;
  /** Non-2FA accounts must call repair/complete before accountLogin. */
  repaired: boolean;
  /** Phone ids an SMS code was requested for in this session. */
  smsSent: Set<number>;
  /** A trust token presented at signin/complete or issued by 2sv/trust. */
  trustToken: string | undefined;
}

export interface WebSession {
  token: string;
  account: SimAccount;
  expiresAt: number;
}

const token = (bytes = 24) => randomBytes(bytes).toString('base64url');

export class SessionStore {
  readonly pending = new Map<string, PendingSrp>();
  private readonly authById = new Map<string, AuthSession>();
  private readonly authByToken = new Map<string, AuthSession>();
  private readonly trust = new Map<string, { appleId: string; expiresAt: number }>();
  private readonly web = new Map<string, WebSession>();

  constructor(
    private readonly now: () => number,
    private readonly ttl: { sessionMs: number; trustMs: number },
  ) {}

  newHandshakeKey(): string {
    return `d-${Math.floor(Math.random() * 1000)}-${randomUUID()}:MSA`;
  }

  createAuthSession(account: SimAccount): AuthSession {
    const session: AuthSession = {
      id: token(),
      scnt: token(16),
      account,
      verified: false,
      repaired: false,
      smsSent: new Set(),
      trustToken: undefined,
    };
    this.authById.set(session.id, session);
    return session;
  }

  /** A fresh X-Apple-Session-Token bound to the session (Apple re-issues one after each step). */
  issueSessionToken(session: AuthSession): string {
    const value = `sim-session-${token()}`;
    this.authByToken.set(value, session);
    return value;
  }

  authSession(id: string | undefined, scnt: string | undefined): AuthSession | undefined {
    const session = id ? this.authById.get(id) : undefined;
    return session && session.scnt === scnt ? session : undefined;
  }

  authSessionByToken(value: string | undefined): AuthSession | undefined {
    return value ? this.authByToken.get(value) : undefined;
  }

  issueTrustToken(account: SimAccount): string {
    const value = `sim-trust-${token()}`;
    this.trust.set(value, { appleId: account.appleId, expiresAt: this.now() + this.ttl.trustMs });
    return value;
  }

  isTrusted(account: SimAccount, values: unknown): string | undefined {
    const list = Array.isArray(values) ? values : [values];
    for (const value of list) {
      if (typeof value !== 'string') continue;
      const entry = this.trust.get(value);
      if (entry && entry.appleId === account.appleId && entry.expiresAt > this.now()) return value;
    }
    return undefined;
  }

  createWebSession(account: SimAccount): WebSession {
    const session = { token: `sim-web-${token()}`, account, expiresAt: this.now() + this.ttl.sessionMs };
    this.web.set(session.token, session);
    return session;
  }

  webSession(value: string | undefined): WebSession | undefined {
    const session = value ? this.web.get(value) : undefined;
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.web.delete(session.token);
      return undefined;
    }
    return session;
  }

  /** Revokes every web session: the next CloudKit call answers 421 and the client must sign in again. */
  expireWebSessions(): void {
    this.web.clear();
  }

  expireTrustTokens(): void {
    this.trust.clear();
  }

  /**
   * Apple ends everything (what happens every one to three months): web sessions, trust tokens and the session
   * tokens a client renews its web session with. Only a sign-in with the password and a new code helps.
   */
  endAllSessions(): void {
    this.web.clear();
    this.trust.clear();
    this.authById.clear();
    this.authByToken.clear();
    this.pending.clear();
  }

  counts(): { webSessions: number; trustTokens: number; authSessions: number } {
    return { webSessions: this.web.size, trustTokens: this.trust.size, authSessions: this.authById.size };
  }
}
