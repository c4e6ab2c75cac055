import { describe, expect, it } from 'vitest';
import { chartSvg, type Figure, formatTable, ratio } from './report.js';

const figure = (over: Partial<Figure> = {}): Figure => ({
  bench: 'fan-out',
  label: 'lifeboat, 2 disks + S3',
  value: 80,
  unit: 'MB/s',
  baseline: { label: 'plain HTTP downloads', value: 100 },
  ratio: 0.8,
  ratioMeaning: 'of the ceiling',
  target: { text: '>= 0.8', met: true },
  ...over,
});

// The bench's pure parts only: the benchmarks themselves run with `npm run bench`, never in the test suite.
describe('bench report', () => {
  it('computes ratios, NaN for a zero baseline', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(1, 0)).toBeNaN();
  });

  it('prints one aligned row per figure with its baseline, ratio and verdict', () => {
    const table = formatTable([
      figure(),
      figure({ bench: 'no-op', unit: 's', value: 6.5, ratio: 1.3, target: { text: '< 5 s', met: false } }),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /fan-out .*80\.0 MB\/s .*plain HTTP downloads: 100\.0 MB\/s .*0\.80 of the ceiling .*PASS$/,
    );
    expect(lines[3]).toMatch(/no-op .*6\.50 s .*1\.30 .*< 5 s .*MISS$/);
    expect(lines[0]!.indexOf('value')).toBe(lines[2]!.indexOf('80.0'));
  });

  it('draws an SVG with two bars per figure, escaped labels and the verdict colour', () => {
    const svg = chartSvg([figure({ label: 'a <b> & c' }), figure({ target: { text: 'x', met: false } })], 'T');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(1 + 2 * 2);
    expect(svg).toContain('a &lt;b&gt; &amp; c');
    expect(svg).toContain('#2e9e44');
    expect(svg).toContain('#d0342c');
  });
});
