import { describe, expect, it } from 'vitest';
import { emeTransform } from './eme.js';
import { EME_ENC_2048_ZEROS } from './test-helpers/eme-vectors.js';

// Vectors from github.com/rfjakob/eme (eme32_test.go, eme_test.go): all-zero key and tweak, all-zero input.
const zeroKey = new Uint8Array(32);
const zeroTweak = new Uint8Array(16);
const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex').toString('hex');
const run = (size: number, direction: 'encrypt' | 'decrypt') =>
  Buffer.from(emeTransform(zeroKey, zeroTweak, new Uint8Array(size), direction)).toString('hex');

describe('EME over AES-256', () => {
  it('encrypts one block as rfjakob/eme does', () => {
    expect(run(16, 'encrypt')).toBe('f1b9ce8ca15a4ba9fb476905434b9fd3');
  });

  it('encrypts and decrypts 512 bytes as rfjakob/eme does', () => {
    expect(run(512, 'encrypt').slice(0, 64)).toBe(
      hex('9F2E6C3DAECAE79E8839B0588FF378CD 0668970B95691CB00182B9E34CD658ED'),
    );
    expect(run(512, 'encrypt').slice(-32)).toBe(hex('AC209C2CD3CC577C28EEDAAFCEDD89A6'));
    expect(run(512, 'decrypt').slice(0, 64)).toBe(
      hex('080905DEE8EBCC89F68BD1AF635DB3F5 B60C2F13F7C768FCEB1220F6C227FD83'),
    );
    expect(run(512, 'decrypt').slice(-32)).toBe(hex('3AF804A5C9DAB34420F260E4BD840829'));
  });

  it('takes the maximum of 128 blocks (2048 bytes) as rfjakob/eme does', () => {
    expect(run(2048, 'encrypt')).toBe(EME_ENC_2048_ZEROS);
  });

  it('round-trips any length with a real key and tweak', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const tweak = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
    for (const blocks of [1, 2, 3, 17, 128]) {
      const data = Uint8Array.from({ length: blocks * 16 }, (_, i) => (i * 31) % 256);
      const encrypted = emeTransform(key, tweak, data, 'encrypt');
      expect(Buffer.from(encrypted).equals(Buffer.from(data))).toBe(false);
      expect(emeTransform(key, tweak, encrypted, 'decrypt')).toEqual(data);
    }
  });

  it('refuses lengths that are not 1 to 128 whole blocks', () => {
    expect(() => emeTransform(zeroKey, zeroTweak, new Uint8Array(0), 'encrypt')).toThrow(RangeError);
    expect(() => emeTransform(zeroKey, zeroTweak, new Uint8Array(17), 'encrypt')).toThrow(RangeError);
    expect(() => emeTransform(zeroKey, zeroTweak, new Uint8Array(2064), 'encrypt')).toThrow(RangeError);
  });
});
