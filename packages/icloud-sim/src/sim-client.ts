/**
 * A minimal client of the simulator for its own tests: a cookie jar, Apple's auth headers and an SRP sign-in
 * through @foxt/js-srp (GSA mode), as a real client would do it. Not part of the public API.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { Hash, Mode, Srp } from '@foxt/js-srp';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export class SimClient {
  readonly cookies = new Map<string, string>();
  scnt: string | undefined;
  sessionId: string | undefined;
  sessionToken: string | undefined;
  trustToken: string | undefined;
  ckUrl: string | undefined;

  constructor(
    readonly authUrl: string,
    readonly setupUrl: string,
  ) {}

  async call(method: string, url: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/javascript',
      'X-Apple-Widget-Key': 'd39ba9916b7251055b22c7f910e2ea796ee65e98b2ddecea8f5dde8d9d1a815d',
      ...extra,
    };
    if (this.scnt) headers.scnt = this.scnt;
    if (this.sessionId) headers['X-Apple-ID-Session-Id'] = this.sessionId;
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}="${v}"`).join('; ');
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1).replace(/^"|"$/g, ''));
    }
    this.scnt = response.headers.get('scnt') ?? this.scnt;
    this.sessionId = response.headers.get('X-Apple-ID-Session-Id') ?? this.sessionId;
    this.sessionToken = response.headers.get('X-Apple-Session-Token') ?? this.sessionToken;
    this.trustToken = response.headers.get('X-Apple-TwoSV-Trust-Token') ?? this.trustToken;
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {}
    return { status: response.status, headers: response.headers, text, json };
  }

  /** signin/init + signin/complete; returns the signin/complete reply (200, 409, 412 or 401). */
  async signIn(appleId: string, password: string): Promise<Reply> {
    const srp = new Srp(Mode.GSA, Hash.SHA256, 2048);
    const client = await srp.newClient(Buffer.from(appleId), new Uint8Array());
    const a = Buffer.from(client.A.toString(16).padStart(512, '0'), 'hex').toString('base64');
    const init = await this.call('POST', `${this.authUrl}/signin/init`, {
      a,
      accountName: appleId,
      protocols: ['s2k', 's2k_fo'],
    });
    if (init.status !== 200) return init;
    const salt = Buffer.from(String(init.json.salt), 'base64');
    const digest = createHash('sha256').update(password, 'utf8').digest();
    const input = init.json.protocol === 's2k_fo' ? Buffer.from(digest.toString('hex')) : digest;
    client.p = pbkdf2Sync(input, salt, Number(init.json.iteration), 32, 'sha256');
    const m1 = await client.generate(salt, Buffer.from(String(init.json.b), 'base64'));
    const m2 = await client.generateM2();
    return this.call('POST', `${this.authUrl}/signin/complete?isRememberMeEnabled=true`, {
      accountName: appleId,
      c: init.json.c,
      m1: Buffer.from(m1, 'hex').toString('base64'),
      m2: Buffer.from(m2).toString('base64'),
      rememberMe: true,
      trustTokens: this.trustToken ? [this.trustToken] : [],
    });
  }

  async accountLogin(): Promise<Reply> {
    const reply = await this.call('POST', `${this.setupUrl}/accountLogin`, {
      accountCountryCode: 'USA',
      dsWebAuthToken: this.sessionToken,
      extended_login: true,
      trustToken: this.trustToken ?? '',
    });
    const ck = (reply.json.webservices as { ckdatabasews?: { url?: string } } | undefined)?.ckdatabasews?.url;
    if (ck) this.ckUrl = ck;
    return reply;
  }

  /** Full sign-in of a 2FA account with the trusted-device code, then trust and accountLogin. */
  async signInWithCode(appleId: string, password: string, code: string): Promise<Reply> {
    const complete = await this.signIn(appleId, password);
    if (complete.status === 409) {
      const verify = await this.call('POST', `${this.authUrl}/verify/trusteddevice/securitycode`, {
        securityCode: { code },
      });
      if (verify.status !== 204) return verify;
      await this.call('GET', `${this.authUrl}/2sv/trust`);
    } else if (complete.status === 412) {
      await this.call('POST', `${this.authUrl}/repair/complete`, {});
    } else if (complete.status !== 200) return complete;
    return this.accountLogin();
  }

  ck(db: 'private' | 'shared', op: string, body: unknown, query = true): Promise<Reply> {
    const params = query
      ? '?clientBuildNumber=2522Project44&clientMasteringNumber=2522B2&remapEnums=True&getCurrentSyncToken=True'
      : '';
    return this.call('POST', `${this.ckUrl}/database/1/com.apple.photos.cloud/production/${db}/${op}${params}`, body, {
      'Content-Type': 'text/plain',
    });
  }
}

export function listQuery(recordType: string, startRank: number, zoneName = 'PrimarySync', extra: unknown[] = []) {
  return {
    query: {
      filterBy: [
        { fieldName: 'startRank', fieldValue: { type: 'INT64', value: startRank }, comparator: 'EQUALS' },
        { fieldName: 'direction', fieldValue: { type: 'STRING', value: 'ASCENDING' }, comparator: 'EQUALS' },
        ...extra,
      ],
      recordType,
    },
    resultsLimit: 200,
    desiredKeys: ['resOriginalRes', 'filenameEnc'],
    zoneID: { zoneName },
  };
}
