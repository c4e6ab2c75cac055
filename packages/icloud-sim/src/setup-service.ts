/**
 * setup.icloud.com/setup/ws/1: accountLogin and validate (docs/icloud-protocol.md §Account login). The account JSON
 * follows the recorded cassettes; every web service URL points back at the simulator.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAccount } from './accounts.js';
import type { SimContext } from './context.js';
import { asRecord, cookie, parseCookies, sendJson } from './http-util.js';
import { partitionUrl } from './partition.js';

export const WEB_TOKEN_COOKIE = 'X-APPLE-WEBAUTH-TOKEN';
const DAY = 86_400_000;

interface LoginState {
  verified: boolean;
  twoFactor: boolean;
}

function accountJson(ctx: SimContext, account: SimAccount, state: LoginState): Record<string, unknown> {
  const [firstName, ...rest] = account.fullName.split(' ');
  const dsInfo: Record<string, unknown> = {
    lastName: rest.join(' '),
    iCDPEnabled: ctx.faults.adp || account.advancedDataProtection,
    dsid: account.dsid,
    hsaEnabled: state.twoFactor,
    locale: 'en-us_US',
    isManagedAppleID: false,
    appleIdAliases: [],
    countryCode: 'USA',
    primaryEmailVerified: true,
    locked: false,
    hasICloudQualifyingDevice: state.twoFactor,
    primaryEmail: account.appleId,
    appleIdEntries: [{ isPrimary: true, type: 'EMAIL', value: account.appleId }],
    isWebAccessAllowed: !ctx.faults.adp && account.webAccess,
    fullName: account.fullName,
    languageCode: 'en-us',
    appleId: account.appleId,
    firstName,
    notificationId: `sim-${account.dsid}`,
    statusCode: 2,
    pcsDeleted: false,
  };
  if (state.twoFactor) dsInfo.hsaVersion = 2;
  const base = ctx.baseUrl;
  const body: Record<string, unknown> = {
    dsInfo,
    hasMinimumDeviceForPhotosWeb: true,
    iCDPEnabled: ctx.faults.adp || account.advancedDataProtection,
    webservices: {
      ckdatabasews: {
        pcsRequired: true,
        url: partitionUrl(ctx),
        status: 'active',
      },
      photos: { pcsRequired: true, uploadUrl: base, url: base, status: 'active' },
      photosupload: { pcsRequired: true, url: base, status: 'active' },
      account: { iCloudEnv: { shortId: 'p', vipSuffix: 'prod' }, url: base, status: 'active' },
    },
    pcsEnabled: true,
    configBag: {
      urls: {
        accountLogin: `${base}/setup/ws/1/accountLogin`,
        accountLoginUI: `${base}/appleauth/auth/signin?widgetKey=`,
      },
      accountCreateEnabled: false,
    },
    appsOrder: ['photos'],
    version: 2,
    isExtendedLogin: true,
    pcsServiceIdentitiesIncluded: false,
    requestInfo: { country: 'US', timeZone: 'UTC', region: 'CA' },
    pcsDeleted: false,
    iCloudInfo: { SafariBookmarksHasMigratedToCloudKit: false },
    apps: { photos: {} },
  };
  // Non-2FA accounts carry none of the hsa* keys (auth_non_2fa.yml).
  if (state.twoFactor) {
    body.hsaChallengeRequired = !state.verified;
    body.hsaTrustedBrowser = state.verified;
  }
  return body;
}

function sessionCookies(ctx: SimContext, account: SimAccount, token: string, trusted: boolean): string[] {
  const expires = ctx.now() + 30 * DAY; // the browser keeps them; the server decides validity (sessionTtlMs)
  const cookies = [
    cookie('X-APPLE-UNIQUE-CLIENT-ID', 'Cw=='),
    cookie(WEB_TOKEN_COOKIE, token, expires),
    cookie('X-APPLE-WEBAUTH-USER', `v=1:s=1:d=${account.dsid}`, expires),
    cookie('X-APPLE-DS-WEB-SESSION-TOKEN', token.replace('sim-web-', 'sim-ds-'), expires),
    cookie('X-APPLE-WEBAUTH-VALIDATE', `v=1:t=${token.slice(-12)}`),
    cookie('X-APPLE-WEBAUTH-LOGIN', `v=1:t=${token.slice(-10)}`),
    cookie('X-APPLE-WEBAUTH-PCS-Photos', 'pcs-sim', expires),
    cookie('X-APPLE-WEBAUTH-PCS-Sharing', 'pcs-sim', expires),
  ];
  if (trusted) cookies.push(cookie(`X-APPLE-WEBAUTH-HSA-TRUST-${account.dsid}`, 'v=1:t=trusted', expires + 60 * DAY));
  return cookies;
}

/**
 * What `validate` sets (successful_auth.yml): a new web token, DS session token and VALIDATE cookie, and the PCS
 * cookies, for a session that lives `sessionTtlMs` from now. The old token stays valid until its own expiry.
 */
function refreshedCookies(ctx: SimContext, account: SimAccount): string[] {
  const token = ctx.sessions.createWebSession(account).token;
  const expires = ctx.now() + 30 * DAY;
  return [
    cookie('X-APPLE-WEBAUTH-PCS-Photos', 'pcs-sim', expires),
    cookie('X-APPLE-WEBAUTH-PCS-Sharing', 'pcs-sim', expires),
    cookie('X-APPLE-WEBAUTH-VALIDATE', `v=1:t=${token.slice(-12)}`),
    cookie(WEB_TOKEN_COOKIE, token, expires),
    cookie('X-APPLE-DS-WEB-SESSION-TOKEN', token.replace('sim-web-', 'sim-ds-'), expires),
  ];
}

const unauthorized = (res: ServerResponse, error: string) =>
  sendJson(res, 421, { success: false, error, trustTokens: [], requestInfo: { country: 'US', timeZone: 'UTC' } });

export function handleSetup(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string, body: unknown) {
  if (req.method === 'POST' && path === 'accountLogin') {
    if (ctx.faults.domainToUse) return sendJson(res, 200, { success: false, domainToUse: ctx.faults.domainToUse });
    const input = asRecord(body);
    const auth = ctx.sessions.authSessionByToken(typeof input.dsWebAuthToken === 'string' ? input.dsWebAuthToken : '');
    if (!auth) return unauthorized(res, 'Invalid dsWebAuthToken');
    const account = auth.account;
    if (!account.twoFactor && !auth.repaired) return unauthorized(res, 'Account needs repair/complete first');
    const trusted = ctx.sessions.isTrusted(account, input.trustToken);
    if (trusted) auth.verified = true;
    const state = { verified: auth.verified, twoFactor: account.twoFactor };
    const json = accountJson(ctx, account, state);
    // Before the 2FA code, no web token: CloudKit then answers 421, as for any unauthenticated call.
    const cookies = auth.verified
      ? sessionCookies(ctx, account, ctx.sessions.createWebSession(account).token, Boolean(trusted ?? auth.trustToken))
      : [
          cookie('X-APPLE-WEBAUTH-HSA-LOGIN', `v=2:t=${auth.id.slice(0, 10)}`),
          cookie('X-APPLE-WEBAUTH-USER', `v=1:s=0:d=${account.dsid}`),
        ];
    return sendJson(res, 200, json, { 'Set-Cookie': cookies });
  }
  if (req.method === 'POST' && path === 'validate') {
    const web = ctx.sessions.webSession(parseCookies(req).get(WEB_TOKEN_COOKIE));
    if (!web) return unauthorized(res, 'Missing X-APPLE-WEBAUTH-TOKEN cookie');
    const json = accountJson(ctx, web.account, { verified: true, twoFactor: web.account.twoFactor });
    return sendJson(res, 200, json, { 'Set-Cookie': refreshedCookies(ctx, web.account) });
  }
  sendJson(res, 404, { success: false, error: `no such setup endpoint: ${req.method} ${path}` });
}
