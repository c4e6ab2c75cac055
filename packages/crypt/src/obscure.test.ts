import { describe, expect, it } from 'vitest';
import { obscure, reveal } from './obscure.js';

// Vectors from rclone's fs/config/obscure/obscure_test.go.
describe('rclone password obscuring', () => {
  it('matches rclone with a fixed IV', () => {
    const iv = (letter: string) => new TextEncoder().encode(letter.repeat(16));
    expect(obscure('', iv('a'))).toBe('YWFhYWFhYWFhYWFhYWFhYQ');
    expect(obscure('potato', iv('a'))).toBe('YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ');
    expect(obscure('potato', iv('b'))).toBe('YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw');
  });

  it('reveals what rclone obscured', () => {
    expect(reveal('YWFhYWFhYWFhYWFhYWFhYQ')).toBe('');
    expect(reveal('YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ')).toBe('potato');
    expect(reveal('YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw')).toBe('potato');
  });

  it('uses a random IV, so the same password obscures differently each time', () => {
    const a = obscure('pässwörd 🔑');
    expect(a).not.toBe(obscure('pässwörd 🔑'));
    expect(reveal(a)).toBe('pässwörd 🔑');
  });

  it('says when a value is not obscured', () => {
    for (const bad of ['YmJiYmJiYmJiYmJiYmJiYp*gcEWbAw', 'aGVsbG8', '']) {
      expect(() => reveal(bad)).toThrow(/not an obscured password/);
    }
  });
});
