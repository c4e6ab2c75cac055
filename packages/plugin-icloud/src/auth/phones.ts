import { arrayAt, isObject, numberAt, objectAt, parseJson, stringAt } from '../json.js';

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
  const match = /<script[^>]*class="boot_args"[^>]*>([\s\S]*?)<\/script>/i.exec(html);
  const json = match?.[1] === undefined ? undefined : parseJson(match[1]);
  const verification = objectAt(objectAt(objectAt(json, 'direct'), 'twoSV'), 'phoneNumberVerification');
  const phones: TrustedPhone[] = [];
  for (const item of arrayAt(verification, 'trustedPhoneNumbers') ?? []) {
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
