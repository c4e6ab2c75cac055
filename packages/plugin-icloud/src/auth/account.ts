import { notActivated, wrongDomain } from '../errors.js';
import { booleanAt, type Json, numberAt, objectAt, stringAt } from '../json.js';

/** What `accountLogin` and `validate` tell us (docs/icloud-protocol.md §Account login), checked before use. */
export interface AccountInfo {
  dsid: string;
  ckdatabasewsUrl: string;
  hsaVersion: number;
  hsaChallengeRequired: boolean;
  hsaTrustedBrowser: boolean;
  hasQualifyingDevice: boolean;
  /** false when the account does not allow web access to its data (Advanced Data Protection, or switched off). */
  webAccessAllowed: boolean;
  /** Advanced Data Protection is on (`iCDPEnabled`): the library is offered to the web only while web access is on. */
  advancedDataProtection: boolean;
}

/** Reads an accountLogin/validate body; throws the user-facing error for `domainToUse` and missing services. */
export function parseAccount(body: Json | undefined): AccountInfo {
  const domain = stringAt(body, 'domainToUse');
  if (domain) throw wrongDomain(domain);
  const dsInfo = objectAt(body, 'dsInfo');
  const dsid = stringAt(dsInfo, 'dsid') ?? numberAt(dsInfo, 'dsid')?.toString();
  if (!dsInfo || !dsid) throw notActivated('the account answer has no dsInfo');
  const ck = objectAt(objectAt(body, 'webservices'), 'ckdatabasews');
  const url = stringAt(ck, 'url');
  if (!url || !isHttpUrl(url)) throw notActivated('the photo database web service (ckdatabasews) is not available');
  return {
    dsid,
    ckdatabasewsUrl: url.replace(/\/+$/, ''),
    hsaVersion: numberAt(dsInfo, 'hsaVersion') ?? 0,
    hsaChallengeRequired: booleanAt(body, 'hsaChallengeRequired') ?? false,
    hsaTrustedBrowser: booleanAt(body, 'hsaTrustedBrowser') ?? false,
    hasQualifyingDevice: booleanAt(dsInfo, 'hasICloudQualifyingDevice') ?? false,
    webAccessAllowed: booleanAt(dsInfo, 'isWebAccessAllowed') ?? true,
    advancedDataProtection: booleanAt(dsInfo, 'iCDPEnabled') ?? booleanAt(body, 'iCDPEnabled') ?? false,
  };
}

/** 2FA is needed before the session may be used (docs/icloud-protocol.md §Two-factor decision). */
export function requires2fa(a: AccountInfo): boolean {
  return a.hsaVersion === 2 && (a.hsaChallengeRequired || !a.hsaTrustedBrowser);
}

/** Legacy two-step verification (hsaVersion 1) is needed (docs/icloud-protocol.md §Two-step verification). */
export function requires2sa(a: AccountInfo): boolean {
  return a.hsaVersion === 1 && (a.hsaChallengeRequired || !a.hsaTrustedBrowser);
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
