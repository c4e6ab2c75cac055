import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ConfigStore, makeDirsSync, parseSchedule, UsageError } from '@lifeboat/core';
import { withCronLine } from '../os-schedule/crontab.js';
import {
  type InstalledEntry,
  pickFlavour,
  RENDERERS,
  readCrontab,
  readManifest,
  removeFiles,
  runCommand,
  runCommands,
  runEnv,
  targetDir,
  writeCrontab,
  writeManifest,
} from '../os-schedule/install.js';
import type { Flavour } from '../os-schedule/types.js';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { TOKENS } from './tokens.js';

/** What `schedule install` did for one plan. */
export interface InstalledPlan {
  plan: string;
  flavour: Flavour;
  /** The schedule in words, and how to check the OS has it. */
  describe: string;
  check: string;
  files: { path: string; content: string }[];
  /** The crontab line added: to the user's crontab (`crontab`) or to a file (LIFEBOAT_SCHEDULE_DIR). */
  cron?: { target: string; line: string };
  /** LIFEBOAT_SCHEDULE_DIR is set: the files are written but not activated; these commands would activate them. */
  notActivated?: string[];
  /** Activating them failed (the files stay written). */
  activationFailed?: string;
}

/** What `schedule uninstall` did for one plan. */
export interface UninstalledPlan {
  plan: string;
  deactivationFailed?: string;
  removed: string[];
}

/** Putting plans' schedules into the OS scheduler and taking them out again. */
@injectable()
export class ScheduleService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
  ) {}

  private get manifestFile(): string {
    return join(dirname(this.paths.locksDir), 'schedule-installed.json');
  }

  /**
   * Puts each scheduled plan (or `plan` alone) where the OS keeps schedules (a systemd user timer, a launchd
   * agent, a Task Scheduler task, or a crontab line), so no daemon has to stay running. `onPlan` hears of each
   * plan as it is done. Returns whether scheduled runs will need the vault passphrase in their environment.
   */
  install(
    options: { plan?: string; flavour?: string },
    onPlan: (installed: InstalledPlan) => void,
    env: NodeJS.ProcessEnv = process.env,
  ): { needsVaultPassphrase: boolean } {
    const config = this.config.read();
    const paths = this.paths;
    const plans = Object.entries(config.plans).filter(([name, p]) =>
      options.plan ? name === options.plan : p.schedule,
    );
    if (options.plan && plans.length === 0) throw new UsageError(`No plan named "${options.plan}"`);
    if (plans.length === 0) {
      throw new UsageError('No plan has a schedule', {
        hint: 'Set one: `lifeboat plan set <name> --schedule daily@03:00`',
      });
    }
    const flavour = pickFlavour(options.flavour, env);
    const { dir, dry } = targetDir(flavour, env, dirname(paths.locksDir));
    const manifest = readManifest(this.manifestFile);
    for (const [name, plan] of plans) {
      if (!plan.schedule) {
        throw new UsageError(`Plan "${name}" has no schedule`, {
          hint: `Set one first: \`lifeboat plan set ${name} --schedule daily@03:00\``,
        });
      }
      const rendered = RENDERERS[flavour]({
        plan: name,
        schedule: parseSchedule(plan.schedule),
        command: runCommand(name),
        env: runEnv(env),
        logsDir: paths.logsDir,
      });
      const done: InstalledPlan = {
        plan: name,
        flavour,
        describe: parseSchedule(plan.schedule).describe,
        check: rendered.check,
        files: [],
      };
      const previous = manifest.plans[name];
      if (previous) removeFiles(previous, name); // reinstalling replaces, never duplicates
      const entry: InstalledEntry = { flavour, files: [], activated: false, deactivate: rendered.deactivate };
      if (rendered.files.length) makeDirsSync(dir);
      for (const file of rendered.files) {
        const path = join(dir, file.name);
        writeFileSync(path, file.content);
        entry.files.push(path);
        done.files.push({ path, content: file.content });
      }
      if (rendered.cronLine) {
        const target = dry ? join(dir, 'crontab') : 'crontab';
        if (dry) makeDirsSync(dir);
        const created = target !== 'crontab' && !existsSync(target);
        writeCrontab(target, withCronLine(readCrontab(target), name, rendered.cronLine));
        entry.crontab = target;
        if (created || previous?.crontabCreated) entry.crontabCreated = true;
        done.cron = { target, line: rendered.cronLine };
      }
      if (dry) {
        if (rendered.activate.length)
          done.notActivated = rendered.activate.map((cmd) => cmd.join(' ').replace('{dir}', dir));
      } else {
        const failed = runCommands(rendered.activate, dir);
        entry.activated = failed === undefined;
        if (failed) done.activationFailed = failed;
      }
      manifest.plans[name] = entry;
      writeManifest(this.manifestFile, manifest);
      onPlan(done);
    }
    return { needsVaultPassphrase: env.LIFEBOAT_SECRETS === 'vault' };
  }

  /** Removes exactly what install added (files, the crontab line, the activation); empty when nothing was. */
  uninstall(options: { plan?: string }, onPlan: (uninstalled: UninstalledPlan) => void): { any: boolean } {
    const manifest = readManifest(this.manifestFile);
    const names = Object.keys(manifest.plans).filter((name) => !options.plan || name === options.plan);
    for (const name of names) {
      const entry = manifest.plans[name]!;
      const done: UninstalledPlan = { plan: name, removed: [] };
      if (entry.activated) {
        const failed = runCommands(entry.deactivate, '');
        if (failed) done.deactivationFailed = failed;
      }
      done.removed = removeFiles(entry, name);
      delete manifest.plans[name];
      writeManifest(this.manifestFile, manifest);
      onPlan(done);
    }
    return { any: names.length > 0 };
  }
}
