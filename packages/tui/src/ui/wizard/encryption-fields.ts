import { ENCRYPTION_PASSWORD, UsageError } from '@lifeboat/core';
import type { FormField } from '../components/schema-fields.js';

/** The form-only field that must be ticked before an encrypted destination is saved (never stored). */
export const KEPT_ELSEWHERE = '@passwordKeptElsewhere';

const ENCRYPTION_FIELDS: FormField[] = [
  {
    key: ENCRYPTION_PASSWORD,
    label: 'Encryption password',
    kind: 'secret',
    required: true,
    description: 'rclone crypt password: kept in the keychain, never in the config.',
  },
  {
    key: KEPT_ELSEWHERE,
    label: 'Password kept elsewhere',
    kind: 'bool',
    required: true,
    description:
      'Tick (space) once this password is written down somewhere other than this computer: a lost password is a lost backup, nobody can decrypt it.',
  },
];

const encrypted = (values: Readonly<Record<string, string>>) => values.encryption === 'rclone-crypt';

/** The form's fields with the password and its confirmation added while `encryption` is rclone-crypt. */
export function withEncryptionFields(fields: FormField[], values: Readonly<Record<string, string>>): FormField[] {
  return encrypted(values) ? [...fields, ...ENCRYPTION_FIELDS] : fields;
}

/** Refuses to save an encrypted destination without a password, or before the user confirms it is kept elsewhere. */
export function checkEncryptionFields(values: Readonly<Record<string, string>>): void {
  if (!encrypted(values)) return;
  if ((values[ENCRYPTION_PASSWORD] ?? '') === '') {
    throw new UsageError('An encrypted destination needs an encryption password', {
      hint: 'Type it in "Encryption password"',
    });
  }
  if (values[KEPT_ELSEWHERE] !== 'true') {
    throw new UsageError('Confirm the encryption password is kept somewhere other than this computer', {
      hint: 'Write it down (a password manager, paper in a safe), then tick "Password kept elsewhere" with space: a lost password is a lost backup',
    });
  }
}
