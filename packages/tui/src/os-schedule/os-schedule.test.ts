import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSchedule } from '@lifeboat/core';
import { describe, expect, it } from 'vitest';
import { renderCron, withCronLine } from './crontab.js';
import { renderLaunchd } from './launchd.js';
import { renderSystemd } from './systemd.js';
import type { RenderInput } from './types.js';
import { renderWindows } from './windows.js';

const CLI = fileURLToPath(new URL('../../bin/lifeboat.js', import.meta.url));
const input = (spec: string, plan = 'family'): RenderInput => ({
  plan,
  schedule: parseSchedule(spec),
  command: [process.execPath, CLI, 'run', plan],
  env: { LIFEBOAT_HOME: '/srv/life boat' },
  logsDir: '/srv/logs',
});
const file = (rendered: { files: { name: string; content: string }[] }, suffix: string) =>
  rendered.files.find((f) => f.name.endsWith(suffix))?.content ?? '';

describe('systemd user timer + service', () => {
  it('turns presets and cron fields into OnCalendar with Persistent=true (missed runs run once)', () => {
    const cases: [string, string][] = [
      ['hourly', '*-*-* *:00:00'],
      ['daily@03:00', '*-*-* 03:00:00'],
      ['weekly:sun@23:30', 'Sun *-*-* 23:30:00'],
      ['30 2 * * 1-5', 'Mon..Fri *-*-* 02:30:00'],
      ['*/15 8,20 1 * *', '*-*-1 8,20:0/15:00'],
      ['@monthly', '*-*-1 00:00:00'],
    ];
    for (const [spec, calendar] of cases) {
      const timer = file(renderSystemd(input(spec)), '.timer');
      expect(timer, spec).toContain(`OnCalendar=${calendar}\nPersistent=true`);
    }
  });

  it('writes a oneshot service running `lifeboat run <plan>` with the non-secret environment', () => {
    const rendered = renderSystemd(input('daily@03:00'));
    expect(rendered.files.map((f) => f.name)).toEqual(['lifeboat-family.service', 'lifeboat-family.timer']);
    const service = file(rendered, '.service');
    expect(service).toContain('Type=oneshot');
    expect(service).toContain('Environment="LIFEBOAT_HOME=/srv/life boat"');
    expect(service).toContain(`ExecStart=${process.execPath} ${CLI} run family`);
    expect(file(rendered, '.timer')).toContain('Unit=lifeboat-family.service');
    expect(rendered.activate).toContainEqual(['systemctl', '--user', 'enable', '--now', 'lifeboat-family.timer']);
  });

  it('uses a monotonic timer for intervals', () => {
    expect(file(renderSystemd(input('every 90s')), '.timer')).toContain('OnActiveSec=90s\nOnUnitActiveSec=90s');
  });

  it('refuses what it cannot express, saying what to do', () => {
    expect(() => renderSystemd(input('0 3 1 * 1'))).toThrow('a day of the month together with a day of the week');
    expect(() => renderSystemd(input('0 3 L * *'))).toThrow(/L, W and #/);
  });

  const analyze = '/usr/bin/systemd-analyze';
  it('passes `systemd-analyze verify` for each kind of schedule', async () => {
    // Not skipped when missing: `npm test` installs it (scripts/ensure-debs.sh, Debian package systemd).
    if (!existsSync(analyze)) throw new Error(`${analyze} is missing: run \`bash scripts/ensure-debs.sh\``);
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-systemd-'));
    try {
      for (const [i, spec] of [
        'daily@03:00',
        'weekly:mon@06:15',
        '30 2 * * 1-5',
        '*/15 8,20 1 * *',
        'every 10m',
        'hourly',
      ].entries()) {
        const rendered = renderSystemd(input(spec, `p${i}`));
        for (const f of rendered.files) await writeFile(join(dir, f.name), f.content);
        const units = rendered.files.map((f) => join(dir, f.name));
        const result = spawnSync(analyze, ['verify', ...units], { encoding: 'utf8' });
        expect(result.status, `${spec}: ${result.stderr}`).toBe(0);
        expect(result.stderr, spec).toBe('');
        const calendar = /OnCalendar=(.*)/.exec(file(rendered, '.timer'))?.[1];
        if (calendar) expect(spawnSync(analyze, ['calendar', calendar]).status, calendar).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('launchd agent', () => {
  it('writes a plist with the program arguments and one calendar entry per start time', () => {
    const plist = file(renderLaunchd(input('30 2 * * 1-5')), '.plist');
    expect(plist).toContain('<string>com.lifeboat.plan.family</string>');
    expect(plist).toContain(`<string>${process.execPath}</string>`);
    expect(plist).toContain('<string>run</string>\n    <string>family</string>');
    expect(plist).toContain('<key>LIFEBOAT_HOME</key><string>/srv/life boat</string>');
    const entries = plist.match(
      /<dict><key>Minute<\/key><integer>30<\/integer><key>Hour<\/key><integer>2<\/integer><key>Weekday<\/key><integer>\d<\/integer><\/dict>/g,
    );
    expect(entries).toHaveLength(5);
    expect(plist.match(/<dict>/g)).toHaveLength(2 + 5 - 1 + 1); // the top-level dict, the environment, 5 entries
  });

  it('maps daily and interval schedules', () => {
    expect(file(renderLaunchd(input('daily@07:05')), '.plist')).toContain(
      '<dict><key>Minute</key><integer>5</integer><key>Hour</key><integer>7</integer></dict>',
    );
    expect(file(renderLaunchd(input('every 6h')), '.plist')).toContain(
      '<key>StartInterval</key>\n  <integer>21600</integer>',
    );
    expect(() => renderLaunchd(input('*/10 * * * * *'))).toThrow('whole minutes');
  });

  it('escapes XML in paths', () => {
    const plist = file(renderLaunchd({ ...input('hourly'), env: { LIFEBOAT_HOME: '/a&b<c>' } }), '.plist');
    expect(plist).toContain('<string>/a&amp;b&lt;c&gt;</string>');
  });
});

describe('Windows Task Scheduler XML', () => {
  it('uses a daily or weekly calendar trigger, runs a missed start when available, never twice at once', () => {
    const daily = file(renderWindows(input('daily@03:00')), '.xml');
    expect(daily).toContain('<StartBoundary>2026-01-01T03:00:00</StartBoundary>');
    expect(daily).toContain('<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>');
    expect(daily).toContain('<StartWhenAvailable>true</StartWhenAvailable>');
    expect(daily).toContain('<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>');
    expect(daily).toContain(`<Command>${process.execPath}</Command>`);
    expect(daily).toContain(`<Arguments>${CLI} run family</Arguments>`);
    const weekly = file(renderWindows(input('30 2 * * 1-5')), '.xml');
    expect(weekly).toContain('<DaysOfWeek><Monday /><Tuesday /><Wednesday /><Thursday /><Friday /></DaysOfWeek>');
  });

  it('repeats hourly and interval tasks, and refuses what Task Scheduler cannot say', () => {
    expect(file(renderWindows(input('hourly')), '.xml')).toContain('<Interval>PT1H</Interval>');
    expect(file(renderWindows(input('every 15m')), '.xml')).toContain('<Interval>PT15M</Interval>');
    expect(() => renderWindows(input('every 30s'))).toThrow('at most every minute');
    expect(() => renderWindows(input('0 3,15 * * *'))).toThrow('several hours a day');
    const rendered = renderWindows(input('daily@03:00'));
    expect(rendered.activate[0]).toEqual([
      'schtasks',
      '/Create',
      '/TN',
      'Lifeboat\\family',
      '/XML',
      '{dir}\\lifeboat-family.xml',
      '/F',
    ]);
  });
});

describe('crontab line', () => {
  it('writes the five fields, the environment and the command, tagged with the plan', () => {
    expect(renderCron(input('weekly:mon@03:30')).cronLine).toBe(
      `30 3 * * 1 LIFEBOAT_HOME='/srv/life boat' ${process.execPath} ${CLI} run family # lifeboat:family`,
    );
    expect(renderCron(input('every 15m')).cronLine).toMatch(/^\*\/15 \* \* \* \* /);
    expect(renderCron(input('every 6h')).cronLine).toMatch(/^0 \*\/6 \* \* \* /);
    expect(() => renderCron(input('every 7m'))).toThrow('divide an hour');
  });

  it('replaces only its own line, keeping the rest of the crontab', () => {
    const table = 'MAILTO=me\n0 1 * * * backup-db\n1 2 * * * old # lifeboat:family\n';
    const added = withCronLine(table, 'family', '5 4 * * * new # lifeboat:family');
    expect(added).toBe('MAILTO=me\n0 1 * * * backup-db\n5 4 * * * new # lifeboat:family\n');
    expect(withCronLine(added, 'family', undefined)).toBe('MAILTO=me\n0 1 * * * backup-db\n');
    expect(withCronLine('1 2 * * * x # lifeboat:family\n', 'family', undefined)).toBe('');
    expect(withCronLine('1 2 * * * x # lifeboat:family-2\n', 'family', undefined)).toBe(
      '1 2 * * * x # lifeboat:family-2\n',
    );
  });
});
