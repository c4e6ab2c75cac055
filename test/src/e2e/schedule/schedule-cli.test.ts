import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_NAMESPACE } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

/** name -> content of every file in a folder: install + uninstall must leave it exactly as it was. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('schedules on the command line', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 3, seed: 91 });
  });
  afterAll(() => world?.cleanup());

  it('refuses an invalid schedule with the reason, and changes nothing', async () => {
    const bad = await world.cli(['plan', 'set', 'main', '--schedule', '0 25 * * *']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid schedule "0 25 * * *": Invalid value for hour: 25');
    expect(bad.stderr).toContain('what to do: Use hourly, daily@HH:MM');
    const addBad = await world.cli([
      'plan',
      'add',
      'other',
      '--source',
      'photos',
      '--destination',
      'drive-a',
      '--schedule',
      'daily@3pm',
    ]);
    expect(addBad.code).toBe(2);
    expect(addBad.stderr).toContain('"3pm" is not a time of day');
    const config = JSON.parse(readFileSync(join(world.home, 'config.json'), 'utf8'));
    expect(config.plans.main.schedule).toBeUndefined();
    expect(config.plans.other).toBeUndefined();
  });

  it('prints the next three runs in local time on `plan show`, and in its JSON', async () => {
    const set = await world.cli(['plan', 'set', 'main', '--schedule', 'daily@03:00'], {
      env: { TZ: 'America/New_York' },
    });
    expect(set.code, set.describe()).toBe(0);
    const show = await world.cli(['plan', 'show', 'main'], { env: { TZ: 'America/New_York' } });
    expect(show.stdout).toContain('Schedule: daily at 03:00; next runs:');
    const times = show.stdout.match(/^ {2}\d{4}-\d\d-\d\d 03:00:00 E[SD]T$/gm);
    expect(times, show.stdout).toHaveLength(3);
    const json = (await world.cli(['plan', 'show', 'main', '--json'], { env: { TZ: 'Asia/Tokyo' } })).json<{
      schedule: { spec: string; nextRuns: string[] };
    }>();
    expect(json.schedule.spec).toBe('daily@03:00');
    expect(json.schedule.nextRuns).toHaveLength(3);
    for (const at of json.schedule.nextRuns) expect(at).toMatch(/T18:00:00\.000Z$/); // 03:00 in Tokyo
  });

  it('sets and clears a scrub, and refuses a bad sample', async () => {
    const scrub = await world.cli(['plan', 'set', 'main', '--scrub', 'weekly:sun@04:00', '--scrub-sample', '10']);
    expect(scrub.code, scrub.describe()).toBe(0);
    expect(JSON.parse(readFileSync(join(world.home, 'config.json'), 'utf8')).plans.main.scrub).toEqual({
      schedule: 'weekly:sun@04:00',
      samplePercent: 10,
    });
    const bad = await world.cli(['plan', 'set', 'main', '--scrub-sample', '0']);
    expect(bad.code).toBe(2);
    expect((await world.cli(['plan', 'set', 'main', '--scrub', 'off'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(world.home, 'config.json'), 'utf8')).plans.main.scrub).toBeUndefined();
  });

  it('`check` fails with one line per problem, and passes once the plan succeeded and the drives are there', async () => {
    const never = await world.cli(['check']);
    expect(never.code).toBe(1);
    expect(never.stdout).toContain('PROBLEM plan "main": no successful run within 26h (last success: never)');
    expect((await world.cli(['run', 'main'])).code).toBe(0);
    const ok = await world.cli(['check', '--max-age', '1h']);
    expect(ok.code, ok.describe()).toBe(0);
    expect(ok.stdout).toContain('OK: 1 plan(s) succeeded within 1h; 2 destination(s) reachable');
    const { rename } = await import('node:fs/promises');
    await rename(world.drives[1]!.path, `${world.drives[1]!.path}.away`);
    const unreachable = await world.cli(['check', '--json']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.json<{ problems: { kind: string; name: string }[] }>().problems).toEqual([
      expect.objectContaining({ kind: 'destination-unreachable', name: 'drive-b' }),
    ]);
    await rename(`${world.drives[1]!.path}.away`, world.drives[1]!.path);
    await new Promise((r) => setTimeout(r, 1100));
    const stale = await world.cli(['check', '--max-age', '1s']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/PROBLEM plan "main": no successful run within 1s \(last success: 20/);
    expect((await world.cli(['check', '--max-age', 'soon'])).code).toBe(2);
  });

  it('`status` shows the last success and the next run, and that nothing runs the schedule yet', async () => {
    const status = await world.cli(['status', '--json']);
    const plan = status.json<{ plans: { name: string; lastSuccess: string; nextRun: string; schedule: string }[] }>()
      .plans[0]!;
    expect(plan).toMatchObject({ name: 'main', schedule: 'daily@03:00' });
    expect(Date.parse(plan.nextRun)).toBeGreaterThan(Date.now());
    // No daemon runs and nothing is installed: the text says so instead of promising the next run (issue 15).
    expect((await world.cli(['status'])).stdout).toContain('schedule NOT ACTIVE (daily@03:00)');
  });

  for (const flavour of ['systemd', 'launchd', 'windows', 'cron'] as const) {
    it(`schedule install --flavour ${flavour} writes its files; uninstall removes exactly those`, async () => {
      const dir = join(world.root, `os-${flavour}`);
      await mkdir(dir);
      // What the user already had there stays untouched.
      await writeFile(join(dir, 'unrelated.timer'), '[Timer]\nOnCalendar=daily\n');
      if (flavour === 'cron') await writeFile(join(dir, 'crontab'), 'MAILTO=me\n0 1 * * * /usr/bin/backup-db\n');
      const before = snapshot(dir);
      const env = { LIFEBOAT_SCHEDULE_DIR: dir };
      const install = await world.cli(['schedule', 'install', '--flavour', flavour], { env });
      expect(install.code, install.describe()).toBe(0);
      const after = snapshot(dir);
      const added = Object.keys(after).filter((name) => before[name] === undefined);
      const expected = {
        systemd: ['lifeboat-main.service', 'lifeboat-main.timer'],
        launchd: ['com.lifeboat.plan.main.plist'],
        windows: ['lifeboat-main.xml'],
        cron: [],
      }[flavour];
      expect(added.sort()).toEqual(expected);
      for (const name of added) expect(install.stdout).toContain(`Wrote ${join(dir, name)}:`);
      expect(install.stdout).toContain('Check it:');
      if (flavour === 'systemd') {
        expect(after['lifeboat-main.timer']).toContain('OnCalendar=*-*-* 03:00:00\nPersistent=true');
        expect(after['lifeboat-main.service']).toContain(`Environment="LIFEBOAT_HOME=${world.home}"`);
        expect(after['lifeboat-main.service']).toMatch(/ExecStart=\S+node \S+lifeboat\.js run main/);
      }
      if (flavour === 'launchd') {
        expect(after['com.lifeboat.plan.main.plist']).toContain(
          '<dict><key>Minute</key><integer>0</integer><key>Hour</key><integer>3</integer></dict>',
        );
      }
      if (flavour === 'windows')
        expect(after['lifeboat-main.xml']).toContain('<StartBoundary>2026-01-01T03:00:00</StartBoundary>');
      if (flavour === 'cron') {
        expect(after.crontab).toMatch(
          /^MAILTO=me\n0 1 \* \* \* \/usr\/bin\/backup-db\n0 3 \* \* \* LIFEBOAT_HOME=\S+ (LIFEBOAT_SECRETS=\S+ )?LIFEBOAT_KEYCHAIN_NAMESPACE=\S+ \S+ \S+lifeboat\.js run main # lifeboat:main\n$/,
        );
        // The scheduled run finds the secrets where the CLI put them: it gets the same keychain namespace.
        expect(after.crontab).toContain(`LIFEBOAT_KEYCHAIN_NAMESPACE=${KEYCHAIN_NAMESPACE} `);
      }
      expect(Object.values(after).join('\n')).not.toContain('PASSPHRASE');
      const uninstall = await world.cli(['schedule', 'uninstall'], { env });
      expect(uninstall.code, uninstall.describe()).toBe(0);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('refuses to install a schedule an OS scheduler cannot express, pointing to the daemon', async () => {
    await world.cli(['plan', 'set', 'main', '--schedule', 'every 30s']);
    const dir = join(world.root, 'os-refused');
    const refused = await world.cli(['schedule', 'install', '--flavour', 'windows'], {
      env: { LIFEBOAT_SCHEDULE_DIR: dir },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('The windows scheduler cannot express the schedule "every 30s"');
    expect(refused.stderr).toContain('run `lifeboat daemon` instead');
    expect(snapshot(dir)).toEqual({});
  });
});
