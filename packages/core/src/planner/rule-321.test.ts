import { describe, expect, it } from 'vitest';
import { evaluate321, type RuleDestination } from './rule-321.js';

const drive = (name: string, medium = `uuid-${name}`): RuleDestination => ({
  name,
  description: { medium, mediumKind: 'disk', offsite: false },
});
const bucket = (name: string): RuleDestination => ({
  name,
  description: { medium: `s3://${name}`, mediumKind: 'cloud', offsite: true },
});
const check = (evaluation: ReturnType<typeof evaluate321>, rule: string) =>
  evaluation.checks.find((c) => c.rule === rule)!;

describe('evaluate321', () => {
  it('fails every rule with no destination, and says to add two', () => {
    const e = evaluate321([]);
    expect(e).toMatchObject({ copies: 1, media: 0, offsite: 0, ok: false, missing: ['copies', 'media', 'offsite'] });
    expect(check(e, 'copies').explanation).toMatch(/nothing is backed up yet.*Add two destinations/);
  });

  it('one drive: 2 copies on one medium, nothing offsite', () => {
    const e = evaluate321([drive('drive-a')]);
    expect(e).toMatchObject({ copies: 2, media: 1, offsite: 0, ok: false, missing: ['copies', 'media', 'offsite'] });
    expect(check(e, 'copies')).toMatchObject({ ok: false, have: 2, need: 3 });
    expect(check(e, 'copies').explanation).toBe(
      '2 copies: the original in the source and drive-a. Add one more destination, ideally on another medium and offsite.',
    );
    expect(check(e, 'media').explanation).toMatch(/one medium \(drive-a, a drive\).*another drive or a cloud bucket/);
    expect(check(e, 'offsite').explanation).toMatch(
      /add an offsite destination, such as an S3 bucket or a drive you keep elsewhere/i,
    );
  });

  it('two drives on distinct media: copies and media pass, offsite is missing', () => {
    const e = evaluate321([drive('drive-a'), drive('drive-b')]);
    expect(e).toMatchObject({ copies: 3, media: 2, offsite: 0, ok: false, missing: ['offsite'] });
    expect(check(e, 'copies')).toMatchObject({ ok: true, have: 3, need: 3 });
    expect(check(e, 'media')).toMatchObject({
      ok: true,
      have: 2,
      need: 2,
      explanation: 'Copies on 2 different media.',
    });
    expect(check(e, 'offsite')).toMatchObject({ ok: false, have: 0, need: 1 });
  });

  it('two folders on the same drive count as one medium, and the explanation names both', () => {
    const e = evaluate321([drive('drive-a', 'disk-1'), drive('drive-b', 'disk-1')]);
    expect(e).toMatchObject({ copies: 3, media: 1, offsite: 0, missing: ['media', 'offsite'] });
    expect(check(e, 'media').explanation).toBe(
      'drive-a and drive-b are on the same drive: add a destination on another drive, or in the cloud.',
    );
  });

  it('two drives and an offsite bucket meet the rule', () => {
    const e = evaluate321([drive('drive-a'), drive('drive-b'), bucket('s3-photos')]);
    expect(e).toMatchObject({ copies: 4, media: 3, offsite: 1, ok: true, missing: [] });
    expect(e.checks.every((c) => c.ok)).toBe(true);
    expect(check(e, 'offsite').explanation).toBe('s3-photos is offsite.');
  });

  it('notes shared media even when there are enough others', () => {
    const e = evaluate321([drive('a', 'disk-1'), drive('b', 'disk-1'), bucket('s3')]);
    expect(e.media).toBe(2);
    expect(check(e, 'media').explanation).toBe(
      'Copies on 2 different media. a and b are on the same drive, which counts as one medium.',
    );
  });

  it('an offsite bucket alone: offsite passes, copies and media do not', () => {
    const e = evaluate321([bucket('s3-photos')]);
    expect(e).toMatchObject({ copies: 2, media: 1, offsite: 1, ok: false, missing: ['copies', 'media'] });
    expect(check(e, 'media').explanation).toMatch(/one medium \(s3-photos, a cloud bucket\)/);
  });

  it('lists three destinations on one medium naturally', () => {
    const e = evaluate321([drive('a', 'm'), drive('b', 'm'), drive('c', 'm')]);
    expect(check(e, 'media').explanation).toMatch(/^a, b and c are on the same drive/);
  });
});
