import { describe, expect, it } from 'vitest';
import { CryptError } from './errors.js';
import type { CryptKeys } from './keys.js';
import { decodeName, encodeName } from './name-encoding.js';
import { DEFAULT_NAME_OPTIONS, NameCipher, type NameOptions } from './names.js';

// Vectors from rclone's backend/crypt/cipher_test.go, made with the all-zero keys of an empty password.
const zeroKeys: CryptKeys = { dataKey: new Uint8Array(32), nameKey: new Uint8Array(32), nameTweak: new Uint8Array(16) };
const cipher = (options: Partial<NameOptions> = {}) =>
  new NameCipher(zeroKeys, { ...DEFAULT_NAME_OPTIONS, ...options });

const segmentsBase32: [string, string][] = [
  ['1', 'p0e52nreeaj0a5ea7s64m4j72s'],
  ['12', 'l42g6771hnv3an9cgc8cr2n1ng'],
  ['123', 'qgm4avr35m5loi1th53ato71v0'],
  ['1234', '8ivr2e9plj3c3esisjpdisikos'],
  ['12345', 'rh9vu63q3o29eqmj4bg6gg7s44'],
  ['123456', 'bn717l3alepn75b2fb2ejmi4b4'],
  ['1234567', 'n6bo9jmb1qe3b1ogtj5qkf19k8'],
  ['12345678', 'u9t24j7uaq94dh5q53m3s4t9ok'],
  ['123456789', '37hn305g6j12d1g0kkrl7ekbs4'],
  ['1234567890', 'ot8d91eplaglb62k2b1trm2qv0'],
  ['12345678901', 'h168vvrgb53qnrtvvmb378qrcs'],
  ['123456789012', 's3hsdf9e29ithrqbjqu01t8q2s'],
  ['1234567890123', 'cf3jimlv1q2oc553mv7s3mh3eo'],
  ['12345678901234', 'moq0uqdlqrblrc5pa5u5c7hq9g'],
  ['123456789012345', 'eeam3li4rnommi3a762h5n7meg'],
  ['1234567890123456', 'mijbj0frqf6ms7frcr6bd9h0env53jv96pjaaoirk7forcgpt70g'],
];

describe('name encodings', () => {
  it('writes base32hex lower case without padding, as rclone does', () => {
    const cases = ['', '64', '64p0', '64p36', '64p36d0', '64p36d1l', '64p36d1l6o', '64p36d1l6org', '64p36d1l6orjg'];
    cases.forEach((expected, i) => {
      const plain = new TextEncoder().encode('12345678'.slice(0, i));
      expect(encodeName(plain, 'base32')).toBe(expected);
      expect(decodeName(expected, 'base32')).toEqual(plain);
      expect(decodeName(expected.toUpperCase(), 'base32')).toEqual(plain);
    });
  });

  it('refuses text that is not base32hex', () => {
    for (const bad of ['64=', '!', 'hello=hello', 'w', '64p']) expect(decodeName(bad, 'base32')).toBeUndefined();
  });

  it('writes URL-safe base64 without padding', () => {
    expect(encodeName(new TextEncoder().encode('1234567'), 'base64')).toBe('MTIzNDU2Nw');
    expect(decodeName('64=', 'base64')).toBeUndefined();
    expect(decodeName('Hello=Hello', 'base64')).toBeUndefined();
  });
});

describe('NameCipher', () => {
  it('encrypts segments as rclone does (base32)', () => {
    for (const [plain, encrypted] of segmentsBase32) {
      expect(cipher().encryptSegment(plain)).toBe(encrypted);
      expect(cipher().decryptSegment(encrypted)).toBe(plain);
      expect(cipher().decryptSegment(encrypted.toUpperCase())).toBe(plain);
    }
    expect(cipher().encryptSegment('')).toBe('');
  });

  it('encrypts segments as rclone does (base64)', () => {
    const base64 = cipher({ filenameEncoding: 'base64' });
    expect(base64.encryptSegment('1')).toBe('yBxRX25ypgUVyj8MSxJnFw');
    expect(base64.encryptSegment('123')).toBe('1CxFf2Mti1xIPYlGruDh-A');
    expect(base64.encryptSegment('1234567890123456')).toBe('tKa5gfvTzW4d-2bMtqYgdf5Rz-k2ZqViW6HfjbIZ6cE');
    expect(base64.decryptSegment('qQUDHOGN_jVdLIMQzYrhvA')).toBe('12');
  });

  it('encrypts paths with and without directory name encryption', () => {
    const p1 = 'p0e52nreeaj0a5ea7s64m4j72s';
    const p12 = 'l42g6771hnv3an9cgc8cr2n1ng';
    const p123 = 'qgm4avr35m5loi1th53ato71v0';
    expect(cipher().encryptFileName('1/12/123')).toBe(`${p1}/${p12}/${p123}`);
    expect(cipher().decryptFileName(`${p1}/${p12}/${p123}`)).toBe('1/12/123');
    expect(cipher().encryptDirName('1/12')).toBe(`${p1}/${p12}`);
    const plainDirs = cipher({ directoryNameEncryption: false });
    expect(plainDirs.encryptFileName('1/12/123')).toBe(`1/12/${p123}`);
    expect(plainDirs.decryptFileName(`1/12/${p123}`)).toBe('1/12/123');
    expect(plainDirs.encryptDirName('1/12')).toBe('1/12');
  });

  it('keeps version stamps outside the encrypted part, as rclone does', () => {
    const p1 = 'p0e52nreeaj0a5ea7s64m4j72s';
    const p12 = 'l42g6771hnv3an9cgc8cr2n1ng';
    expect(cipher().encryptFileName('1-v2001-02-03-040506-123')).toBe(`${p1}-v2001-02-03-040506-123`);
    expect(cipher().encryptFileName('1/12-v2001-02-03-040506-123')).toBe(`${p1}/${p12}-v2001-02-03-040506-123`);
    expect(cipher().decryptFileName(`${p1}/${p12}-v2001-02-03-040506-123`)).toBe('1/12-v2001-02-03-040506-123');
    // Not a real time (a 13th month): encrypted whole, like any other name.
    expect(cipher().encryptFileName('1-v2001-13-03-040506-123')).not.toContain('-v2001');
  });

  it('adds and removes the suffix when file name encryption is off', () => {
    const off = cipher({ filenameEncryption: 'off' });
    expect(off.encryptFileName('1/12/123')).toBe('1/12/123.bin');
    expect(off.decryptFileName('1/12/123.bin')).toBe('1/12/123');
    expect(off.encryptDirName('1/12')).toBe('1/12');
    expect(() => off.decryptFileName('1/12/123.bix')).toThrow(CryptError);
    expect(() => off.decryptFileName('.bin')).toThrow(CryptError);
    expect(cipher({ filenameEncryption: 'off', suffix: '' }).encryptFileName('a.jpg')).toBe('a.jpg');
  });

  it('says a name was not made with these settings instead of returning garbage', () => {
    const bad = [
      '64=',
      '!',
      'a'.repeat(3328),
      encodeName(new TextEncoder().encode('a'), 'base32'),
      encodeName(new TextEncoder().encode('123456789abcdef0'), 'base32'),
    ];
    for (const name of bad) {
      expect(() => cipher().decryptSegment(name)).toThrow(/not a name encrypted with this password/);
    }
    const other = new NameCipher({ ...zeroKeys, nameTweak: new Uint8Array(16).fill(1) }, DEFAULT_NAME_OPTIONS);
    expect(() => other.decryptFileName(cipher().encryptFileName('IMG_0001.HEIC'))).toThrow(CryptError);
  });

  it('round-trips unicode names', () => {
    for (const name of ['Été à Zürich/IMG_0001.HEIC', '家族/写真 2024.jpg', 'emoji 🎉/x.mov', ' spaced name .png']) {
      expect(cipher().decryptFileName(cipher().encryptFileName(name))).toBe(name);
    }
  });
});
