/** Where Apple's services live (docs/icloud-protocol.md §Hosts), or where a simulated iCloud stands in for them. */
export interface Endpoints {
  /** `https://idmsa.apple.com/appleauth/auth` */
  auth: string;
  /** `https://idmsa.apple.com`: Origin of the SRP calls. */
  authRoot: string;
  /** `https://setup.icloud.com/setup/ws/1` */
  setup: string;
  /** `https://www.icloud.com`: Origin/Referer of everything else, and the OAuth redirect URI. */
  home: string;
}

export type IcloudDomain = 'com' | 'cn';

/** Apple's public client id of the iCloud web app (also sent as the widget key), the same for both domains. */
export const OAUTH_CLIENT_ID = 'd39ba9916b7251055b22c7f910e2ea796ee65e98b2ddecea8f5dde8d9d1a815d';

/** Query parameters of the web client (docs/icloud-protocol.md §Client state). */
export const CLIENT_BUILD = { clientBuildNumber: '2522Project44', clientMasteringNumber: '2522B2' };

/**
 * Apple's endpoints for a domain, or overrides for testing against a simulator. `authUrl` is the base that
 * `/signin/init` is appended to (Apple: `https://idmsa.apple.com/appleauth/auth`); `setupUrl` the base that
 * `/accountLogin` is appended to (Apple: `https://setup.icloud.com/setup/ws/1`).
 */
export function endpointsFor(domain: IcloudDomain, overrides: { authUrl?: string; setupUrl?: string } = {}): Endpoints {
  const suffix = domain === 'cn' ? '.com.cn' : '.com';
  const auth = trimSlash(overrides.authUrl ?? `https://idmsa.apple${suffix}/appleauth/auth`);
  const setup = trimSlash(overrides.setupUrl ?? `https://setup.icloud${suffix}/setup/ws/1`);
  return { auth, authRoot: new URL(auth).origin, setup, home: `https://www.icloud${suffix}` };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
