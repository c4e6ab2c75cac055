/**
 * The benchmark's report: each figure beside the baseline it was measured against in the same run, their ratio,
 * and the target's verdict; printed as a table, and written as JSON and an SVG bar chart. Pure formatting, no I/O.
 */

export interface Figure {
  /** Which benchmark: 'fan-out', 'no-op', 'memory', 'planner', 's3'. */
  bench: string;
  /** What was measured, e.g. 'lifeboat run, 2 disks + S3'. */
  label: string;
  value: number;
  unit: 's' | 'MB' | 'MB/s' | 'requests' | '%';
  /** What the value is compared with, measured in the same run. */
  baseline: { label: string; value: number };
  /** value / baseline. */
  ratio: number;
  /** How the ratio reads, e.g. 'of the ceiling' or 'x rclone'. */
  ratioMeaning: string;
  target: { text: string; met: boolean };
  /** Extra figures for the JSON (requests, sizes, peak RSS of the baseline...). */
  details?: Record<string, unknown>;
}

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? Number.NaN : value / baseline;
}

export const verdict = (met: boolean) => (met ? 'PASS' : 'MISS');

function formatValue(value: number, unit: Figure['unit']): string {
  if (unit === 'requests') return `${Math.round(value)} req`;
  const digits = (unit === 's' || unit === '%') && value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

/** The table `npm run bench` prints: one row per figure, columns padded to the widest cell. */
export function formatTable(figures: Figure[]): string {
  const rows = [
    ['#', 'benchmark', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', ''],
    ...figures.map((f, i) => [
      String(i + 1),
      f.bench,
      f.label,
      formatValue(f.value, f.unit),
      `${f.baseline.label}: ${formatValue(f.baseline.value, f.unit)}`,
      `${Number.isFinite(f.ratio) ? f.ratio.toFixed(2) : '-'} ${f.ratioMeaning}`,
      f.target.text,
      verdict(f.target.met),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart: one pair of bars per figure, the baseline (grey) and the value (green when its target
 * is met, red when missed), each pair scaled to its own larger bar, with the ratio written beside it. Plain SVG,
 * readable in any browser or on GitHub.
 */
export function chartSvg(figures: Figure[], title: string): string {
  const width = 900;
  const labelWidth = 330;
  const barMax = width - labelWidth - 150;
  const rowHeight = 58;
  const top = 50;
  const height = top + rowHeight * figures.length + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="40" fill="#555">grey: baseline measured in the same run; green/red: Lifeboat (target met/missed)</text>`,
  ];
  figures.forEach((f, i) => {
    const y = top + i * rowHeight;
    const scale = Math.max(f.value, f.baseline.value) || 1;
    const w = (v: number) => Math.max(1, Math.round((v / scale) * barMax));
    const colour = f.target.met ? '#2e9e44' : '#d0342c';
    parts.push(
      `<text x="10" y="${y + 16}" font-weight="bold">${escapeXml(`${i + 1}. ${f.bench}`)}</text>`,
      `<text x="10" y="${y + 32}" fill="#333">${escapeXml(f.label)}</text>`,
      `<text x="10" y="${y + 47}" fill="#777">${escapeXml(f.baseline.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 6}" width="${w(f.value)}" height="18" fill="${colour}"/>`,
      `<text x="${labelWidth + w(f.value) + 6}" y="${y + 20}">${escapeXml(formatValue(f.value, f.unit))}</text>`,
      `<rect x="${labelWidth}" y="${y + 28}" width="${w(f.baseline.value)}" height="18" fill="#9e9e9e"/>`,
      `<text x="${labelWidth + w(f.baseline.value) + 6}" y="${y + 42}">${escapeXml(formatValue(f.baseline.value, f.unit))}</text>`,
      `<text x="${width - 10}" y="${y + 20}" text-anchor="end" font-weight="bold" fill="${colour}">${escapeXml(
        `${Number.isFinite(f.ratio) ? f.ratio.toFixed(2) : '-'} ${verdict(f.target.met)}`,
      )}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
