import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureInfoFromTags, exifDateToIso, readCaptureInfo } from './capture-date.js';
import { toLocalIso } from './local-time.js';
import { buildCorruptExifJpeg, buildExifJpeg, Tag } from './test-helpers/exif-jpeg.js';
import { useTempDir } from './test-helpers/fixtures.js';

describe('exifDateToIso', () => {
  it('keeps the wall clock, adding the offset when the camera wrote one', () => {
    expect(exifDateToIso('2019:05:04 12:30:00', '+02:00')).toBe('2019-05-04T12:30:00+02:00');
    expect(exifDateToIso('2019:05:04 12:30:00', '-05:30')).toBe('2019-05-04T12:30:00-05:30');
    expect(exifDateToIso('2019:05:04 12:30:00', undefined)).toBe('2019-05-04T12:30:00');
    expect(exifDateToIso('2019:05:04 12:30:00', '   ')).toBe('2019-05-04T12:30:00');
  });

  it('ignores placeholder and malformed dates', () => {
    expect(exifDateToIso('0000:00:00 00:00:00', undefined)).toBeUndefined();
    expect(exifDateToIso('    :  :     :  :  ', undefined)).toBeUndefined();
    expect(exifDateToIso('2019:13:04 12:30:00', undefined)).toBeUndefined();
    expect(exifDateToIso(new Date(), undefined)).toBeUndefined();
  });

  it('pairs CreateDate with its own offset when DateTimeOriginal is absent', () => {
    expect(captureInfoFromTags({ CreateDate: '2018:01:02 03:04:05', OffsetTimeDigitized: '+01:00' })).toEqual({
      capturedAt: '2018-01-02T03:04:05+01:00',
    });
  });
});

describe('toLocalIso', () => {
  it('renders the local wall clock with the offset in force at that instant', () => {
    const date = new Date(2019, 4, 4, 12, 30, 0);
    expect(toLocalIso(date)).toMatch(/^2019-05-04T12:30:00[+-]\d{2}:\d{2}$/);
    expect(new Date(toLocalIso(date)).getTime()).toBe(date.getTime());
  });
});

describe('readCaptureInfo', () => {
  const dir = useTempDir();

  it('reads DateTimeOriginal, OffsetTimeOriginal and the camera from a JPEG without image data', async () => {
    const path = join(dir(), 'a.jpg');
    await writeFile(
      path,
      buildExifJpeg({
        ifd0: { [Tag.Make]: 'Canon', [Tag.Model]: 'EOS 5D' },
        exif: { [Tag.DateTimeOriginal]: '2019:05:04 12:30:00', [Tag.OffsetTimeOriginal]: '+02:00' },
      }),
    );
    expect(await readCaptureInfo(path)).toEqual({
      capturedAt: '2019-05-04T12:30:00+02:00',
      make: 'Canon',
      model: 'EOS 5D',
    });
  });

  it('does not shift an offset-less date by the machine time zone', async () => {
    const path = join(dir(), 'a.jpg');
    await writeFile(path, buildExifJpeg({ exif: { [Tag.DateTimeOriginal]: '2019:05:04 23:59:58' } }));
    expect((await readCaptureInfo(path))?.capturedAt).toBe('2019-05-04T23:59:58');
  });

  it('returns no date, without throwing, for corrupt EXIF, non-images and missing files', async () => {
    await writeFile(join(dir(), 'corrupt.jpg'), buildCorruptExifJpeg());
    await writeFile(join(dir(), 'text.jpg'), 'not a jpeg at all');
    await writeFile(join(dir(), 'empty.jpg'), '');
    for (const name of ['corrupt.jpg', 'text.jpg', 'empty.jpg', 'missing.jpg']) {
      expect((await readCaptureInfo(join(dir(), name)))?.capturedAt).toBeUndefined();
    }
  });
});
