import { arrayAt, isObject, type Json, numberAt, objectAt, parseJson, stringAt } from '../json.js';
import { securityKeyNames } from './sign-in-errors.js';

export interface TrustedPhone {
  id: number;
  /** What the user sees, e.g. `+1 (•••) •••-••81`. */
  label: string;
}

/**
 * Reads the trusted phone numbers from the HTML of `GET {AUTH}` (docs/icloud-protocol.md §Trusted phones): a
 * `<script type="application/json" class="boot_args">` holding
 * `direct.twoSV.phoneNumberVerification.trustedPhoneNumbers[]`. Anything unexpected gives an empty list.
 */
export function parseTrustedPhones(html: string): TrustedPhone[] {
  return phonesOf(bootArgs(html));
}

/**
 * The second-factor options of `GET {AUTH}`, served as the boot_args HTML or (asked for JSON) as plain JSON:
 * the trusted phones, and the security key names when Apple asks for a security key (`fsaChallenge`).
 */
export function parseAuthOptions(text: string): { phones: TrustedPhone[]; securityKeys?: string[] } {
  const json = bootArgs(text) ?? parseJson(text);
  const keys = securityKeyNames(json);
  return { phones: phonesOf(json), ...(keys ? { securityKeys: keys } : {}) };
}

function bootArgs(html: string): Json | undefined {
  const match = /<script[^>]*class="boot_args"[^>]*>([\s\S]*?)<\/script>/i.exec(html);
  return match?.[1] === undefined ? undefined : parseJson(match[1]);
}

function phonesOf(json: Json | undefined): TrustedPhone[] {
  const verification = objectAt(objectAt(objectAt(json, 'direct'), 'twoSV'), 'phoneNumberVerification');
  const phones: TrustedPhone[] = [];
  // The JSON form carries the list at the top level.
  for (const item of arrayAt(verification, 'trustedPhoneNumbers') ?? arrayAt(json, 'trustedPhoneNumbers') ?? []) {
    if (!isObject(item)) continue;
    const id = numberAt(item, 'id');
    if (id === undefined || !Number.isSafeInteger(id)) continue;
    const label = stringAt(item, 'numberWithDialCode') ?? stringAt(item, 'obfuscatedNumber') ?? `phone ${id}`;
    // Shown on a terminal: no control characters from the network.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    phones.push({ id, label: label.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 64) });
  }
  return phones;
}
