import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fit } from './format.js';

describe('fit', () => {
  it('pads to the width in terminal columns, wide characters counted twice', () => {
    expect(fit('IMG_0001.JPG', 16)).toBe('IMG_0001.JPG    ');
    const wide = fit('Café déjà vu 写真.jpg', 24);
    expect(stringWidth(wide)).toBe(24);
    expect(wide.startsWith('Café déjà vu 写真.jpg')).toBe(true);
  });

  it('cuts a long name with an ellipsis, never splitting a character', () => {
    expect(fit('a-very-long-file-name.jpg', 10)).toBe('a-very-lo…');
    const cut = fit('写真写真写真写真.jpg', 9);
    expect(stringWidth(cut)).toBe(9);
    expect(cut).toBe('写真写真…');
    expect(stringWidth(fit('写真写真写真.jpg', 8))).toBe(8); // no room for a third wide character: padded
    expect(fit('👨‍👩‍👧 family.jpg', 4)).toBe('👨‍👩‍👧 …');
  });
});
