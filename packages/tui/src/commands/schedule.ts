import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirsSync, parseSchedule, UsageError } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { resolveConfig, resolvePaths } from '../container.js';
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
import type { Io } from '../output/io.js';

const manifestFile = (c: DependencyContainer) => join(dirname(resolvePaths(c).locksDir), 'schedule-installed.json');

/**
 * `schedule install [--plan p]`: puts each scheduled plan where the OS keeps schedules (a systemd user timer, a
 * launchd agent, a Task Scheduler task, or a crontab line), so no daemon has to stay running.
 */
export async function installSchedule(
  c: DependencyContainer,
  io: Io,
  options: { plan?: string; flavour?: string },
  env: NodeJS.ProcessEnv = process.env,
) {
  const config = resolveConfig(c).read();
  const paths = resolvePaths(c);
  const plans = Object.entries(config.plans).filter(([name, p]) => (options.plan ? name === options.plan : p.schedule));
  if (options.plan && plans.length === 0) throw new UsageError(`No plan named "${options.plan}"`);
  if (plans.length === 0) {
    throw new UsageError('No plan has a schedule', {
      hint: 'Set one: `lifeboat plan set <name> --schedule daily@03:00`',
    });
  }
  const flavour = pickFlavour(options.flavour, env);
  const { dir, dry } = targetDir(flavour, env, dirname(paths.locksDir));
  const manifest = readManifest(manifestFile(c));
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
    const previous = manifest.plans[name];
    if (previous) removeFiles(previous, name); // reinstalling replaces, never duplicates
    const entry: InstalledEntry = { flavour, files: [], activated: false, deactivate: rendered.deactivate };
    if (rendered.files.length) makeDirsSync(dir);
    for (const file of rendered.files) {
      const path = join(dir, file.name);
      writeFileSync(path, file.content);
      entry.files.push(path);
      io.out(`Wrote ${path}:`);
      for (const line of file.content.split(/\r?\n/).filter(Boolean)) io.out(`  ${line}`);
    }
    if (rendered.cronLine) {
      const target = dry ? join(dir, 'crontab') : 'crontab';
      if (dry) makeDirsSync(dir);
      const created = target !== 'crontab' && !existsSync(target);
      writeCrontab(target, withCronLine(readCrontab(target), name, rendered.cronLine));
      entry.crontab = target;
      if (created || previous?.crontabCreated) entry.crontabCreated = true;
      io.out(`Added to ${target === 'crontab' ? 'your crontab' : target}:\n  ${rendered.cronLine}`);
    }
    if (dry) {
      if (rendered.activate.length) {
        io.out('Not activated (LIFEBOAT_SCHEDULE_DIR is set); to activate, run:');
        for (const cmd of rendered.activate) io.out(`  ${cmd.join(' ').replace('{dir}', dir)}`);
      }
    } else {
      const failed = runCommands(rendered.activate, dir);
      entry.activated = failed === undefined;
      if (failed) io.err(`lifeboat: the files are written, but activating them failed: ${failed}`);
    }
    manifest.plans[name] = entry;
    writeManifest(manifestFile(c), manifest);
    io.out(
      `Plan "${name}" scheduled with ${flavour} (${parseSchedule(plan.schedule).describe}). Check it: ${rendered.check}`,
    );
  }
  if (env.LIFEBOAT_SECRETS === 'vault') {
    io.err(
      'Note: scheduled runs need LIFEBOAT_VAULT_PASSPHRASE, which is never written into schedule files; set it in the environment the scheduler gives the run, or use the OS keychain.',
    );
  }
  return 0;
}

/** `schedule uninstall [--plan p]`: removes exactly what install added (files, the crontab line, the activation). */
export async function uninstallSchedule(c: DependencyContainer, io: Io, options: { plan?: string }) {
  const manifest = readManifest(manifestFile(c));
  const names = Object.keys(manifest.plans).filter((name) => !options.plan || name === options.plan);
  if (names.length === 0) {
    io.err(options.plan ? `Nothing is installed for plan "${options.plan}".` : 'Nothing is installed.');
    return 0;
  }
  for (const name of names) {
    const entry = manifest.plans[name]!;
    if (entry.activated) {
      const failed = runCommands(entry.deactivate, '');
      if (failed) io.err(`lifeboat: deactivating plan "${name}" reported: ${failed}`);
    }
    for (const removed of removeFiles(entry, name)) io.out(`Removed ${removed}`);
    delete manifest.plans[name];
    writeManifest(manifestFile(c), manifest);
  }
  return 0;
}
