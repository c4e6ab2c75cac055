/**
 * `schedule install` on a machine whose OS scheduler cannot take it: no `crontab` on PATH, or systemd without a
 * user session bus (SSH, containers). Each must fail with a non-zero exit, say what is wrong and what to do.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupWorld, createBackupWorld } from '../world.js';

describe('schedule install when the OS scheduler is not there', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 1, seed: 15 });
    const set = await world.cli(['plan', 'set', 'main', '--schedule', 'daily@03:00']);
    expect(set.code, set.describe()).toBe(0);
  });
  afterAll(() => world?.cleanup());

  it('says crontab is not installed, and what to do, with exit 1', async () => {
    const emptyBin = join(world.root, 'empty-bin');
    await mkdir(emptyBin, { recursive: true });
    const install = await world.cli(['schedule', 'install', '--flavour', 'cron'], { env: { PATH: emptyBin } });
    expect(install.code, install.describe()).toBe(1);
    expect(install.stderr).toContain('the `crontab` command is not installed');
    expect(install.stderr).toContain('Install cron');
    expect(install.stderr).toContain('--flavour systemd');
    expect(install.stderr).toContain('lifeboat daemon');
    expect(install.stderr).not.toContain('Cannot read properties');
    expect(install.stdout).not.toContain('scheduled with');
  });

  it('says systemd has no user bus, and what to do, with exit 1', async () => {
    const nowhere = join(world.root, 'no-such-runtime-dir');
    const configHome = join(world.root, 'xdg-config');
    const install = await world.cli(['schedule', 'install', '--flavour', 'systemd'], {
      env: {
        XDG_CONFIG_HOME: configHome,
        XDG_RUNTIME_DIR: nowhere,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(nowhere, 'bus')}`,
      },
    });
    expect(install.code, install.describe()).toBe(1);
    expect(install.stderr).toContain('plan "main" is NOT scheduled');
    expect(install.stderr).toContain('what to do:');
    expect(install.stderr).toContain('--flavour cron');
    expect(install.stderr).toContain('lifeboat daemon');
    expect(install.stdout).not.toContain('scheduled with');
    // What was written is still removed by uninstall (which cannot deactivate what never was active).
    const uninstall = await world.cli(['schedule', 'uninstall'], { env: { XDG_CONFIG_HOME: configHome } });
    expect(uninstall.code, uninstall.describe()).toBe(0);
    expect(uninstall.stdout).toContain('lifeboat-main.timer');
  });
});
