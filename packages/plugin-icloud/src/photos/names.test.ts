import { describe, expect, it } from 'vitest';
import { buildAsset, type MasterInfo } from './assets.js';
import { displayName, fallbackName } from './names.js';
import { type CkRecord, fieldText } from './records.js';

const record = (fields: CkRecord['fields']): CkRecord => ({
  recordName: 'r',
  recordType: 'CPLMaster',
  deleted: false,
  fields,
});

describe('file names from iCloud', () => {
  it('decodes ENCRYPTED_BYTES (base64 UTF-8) and STRING names, and nothing else', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(
      fieldText(record({ filenameEnc: { value: b64('IMG_1.HEIC'), type: 'ENCRYPTED_BYTES' } }), 'filenameEnc'),
    ).toBe('IMG_1.HEIC');
    expect(
      fieldText(record({ filenameEnc: { value: b64('写真 ✈.jpg'), type: 'ENCRYPTED_BYTES' } }), 'filenameEnc'),
    ).toBe('写真 ✈.jpg');
    expect(fieldText(record({ filenameEnc: { value: 'plain.jpg', type: 'STRING' } }), 'filenameEnc')).toBe('plain.jpg');
    expect(fieldText(record({ filenameEnc: { value: 5, type: 'INT64' } }), 'filenameEnc')).toBeUndefined();
    expect(
      fieldText(record({ filenameEnc: { value: 'not base64 !', type: 'ENCRYPTED_BYTES' } }), 'filenameEnc'),
    ).toBeUndefined();
  });

  it('makes hostile names safe to show while keeping them recognisable', () => {
    expect(displayName('../../x.jpg', 'f')).toBe('.._.._x.jpg');
    expect(displayName('a\u0000b.jpg', 'f')).toBe('a_b.jpg');
    expect(displayName('C:\\Windows\\evil.jpg', 'f')).toBe('C:_Windows_evil.jpg');
    expect(displayName('right\u202eGPJ.exe', 'f')).toBe('right_GPJ.exe');
    expect(displayName('', 'fallback.jpg')).toBe('fallback.jpg');
    expect(displayName('..', 'fallback.jpg')).toBe('fallback.jpg');
    expect(displayName('e\u0301.jpg', 'f')).toBe('é.jpg'); // NFC
    const long = displayName(`${'写'.repeat(200)}.JPG`, 'f');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('.JPG')).toBe(true);
  });

  it("falls back to icloudpd's rule when a photo has no name", () => {
    expect(fallbackName('AY6c+BsE0jjaXx9tmVGJM1D2VcEO', 'public.heic')).toBe('AY6c_BsE0jja.HEIC');
    expect(fallbackName('x', 'weird.type')).toBe('x.unknown');
  });

  it('names companions after the original so pairs stay together, and never lets a name escape', () => {
    const ref = (field: string, size: number, fileType: string, checksum: string) => ({
      recordType: 'CPLMaster',
      recordName: 'M',
      field,
      size,
      fileType,
      checksum,
    });
    const master: MasterInfo = {
      recordName: 'M',
      fileName: '../IMG_0001.HEIC',
      itemType: 'public.heic',
      original: ref('resOriginalRes', 10, 'public.heic', 'a'),
      liveVideo: ref('resOriginalVidComplRes', 20, 'com.apple.quicktime-movie', 'b'),
      alternative: ref('resOriginalAltRes', 30, 'com.adobe.raw-image', 'c'),
    };
    const asset = buildAsset(
      master,
      {
        recordName: 'A',
        masterName: 'M',
        favorite: false,
        hidden: false,
        deleted: false,
        editedImage: { ...ref('resJPEGFullRes', 40, 'public.jpeg', 'd'), recordType: 'CPLAsset', recordName: 'A' },
      },
      { library: 'primary', database: 'private', zone: { zoneName: 'PrimarySync' } },
    )!;
    expect(asset.resources.map((r) => `${r.kind}:${r.fileName}`)).toEqual([
      'original:.._IMG_0001.HEIC',
      'raw:.._IMG_0001.DNG',
      'live-video:.._IMG_0001.MOV',
      'edited:.._IMG_0001-edited.JPG',
    ]);
    expect(asset.metadata.originalFileName).toBe('../IMG_0001.HEIC');
  });
});
