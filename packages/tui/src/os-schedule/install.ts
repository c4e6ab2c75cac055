import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LifeboatError, makeDirsSync, UsageError } from '@lifeboat/core';
import { renderCron, withCronLine } from './crontab.js';
import { renderLaunchd } from './launchd.js';
import { renderSystemd } from './systemd.js';
import { FLAVOURS, type Flavour, type Rendered, type RenderInput } from './types.js';
import { renderWindows } from './windows.js';

export const RENDERERS: Record<Flavour, (input: RenderInput) => Rendered> = {
  systemd: renderSystemd,
  launchd: renderLaunchd,
  windows: renderWindows,
  cron: renderCron,
};

/** What install added for one plan, so uninstall removes exactly that. */
export interface InstalledEntry {
  flavour: Flavour;
  files: string[];
  /** The crontab file written (LIFEBOAT_SCHEDULE_DIR), or `crontab` for the user's real crontab. */
  crontab?: string;
  /** Install created that crontab file: uninstall removes it again once it holds nothing else. */
  crontabCreated?: boolean;
  /** Whether the OS was told (systemctl, launchctl, schtasks): undo it on uninstall. */
  activated: boolean;
  deactivate: string[][];
}

export interface Manifest {
  plans: Record<string, InstalledEntry>;
}

export function readManifest(file: string): Manifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return { plans: {} };
  }
}

export function writeManifest(file: string, manifest: Manifest): void {
  makeDirsSync(dirname(file));
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function pickFlavour(option: string | undefined, env: NodeJS.ProcessEnv): Flavour {
  const wanted = option ?? env.LIFEBOAT_SCHEDULE_FLAVOUR;
  if (wanted) {
    if (!FLAVOURS.includes(wanted as Flavour)) {
      throw new UsageError(`Unknown scheduler flavour "${wanted}"`, { hint: `Use one of ${FLAVOURS.join(', ')}` });
    }
    return wanted as Flavour;
  }
  if (process.platform === 'darwin') return 'launchd';
  if (process.platform === 'win32') return 'windows';
  return existsSync('/run/systemd/system') ? 'systemd' : 'cron';
}

/**
 * Where the flavour's files go. LIFEBOAT_SCHEDULE_DIR replaces every location (tests, or to review the files
 * first): then nothing is activated and the user's real crontab is never touched.
 */
export function targetDir(flavour: Flavour, env: NodeJS.ProcessEnv, dataDir: string): { dir: string; dry: boolean } {
  if (env.LIFEBOAT_SCHEDULE_DIR) return { dir: env.LIFEBOAT_SCHEDULE_DIR, dry: true };
  const dir = {
    systemd: join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user'),
    launchd: join(homedir(), 'Library', 'LaunchAgents'),
    windows: join(dataDir, 'schedule'),
    cron: '',
  }[flavour];
  return { dir, dry: false };
}

/** The command a scheduled run executes: this Node, this CLI, `run <plan>`. */
export function runCommand(plan: string): string[] {
  const cli = process.argv[1] ? realpathSync(process.argv[1]) : 'lifeboat';
  return [process.execPath, cli, 'run', plan];
}

/** Environment a scheduled run needs, never a secret (the vault passphrase is left out on purpose). */
export function runEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['LIFEBOAT_HOME', 'LIFEBOAT_SECRETS', 'LIFEBOAT_KEYCHAIN_NAMESPACE'] as const)
    if (env[key]) out[key] = env[key];
  return out;
}

export function readCrontab(target: string): string {
  if (target !== 'crontab') return existsSync(target) ? readFileSync(target, 'utf8') : '';
  const result = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
  if (result.error) throw noCrontab(result.error);
  return result.status === 0 ? result.stdout : ''; // "no crontab for user" exits 1
}

/** `crontab` could not be started at all (not installed, or not on PATH): say so before anything is written. */
function noCrontab(error: Error): LifeboatError {
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  return new LifeboatError(
    'LIFEBOAT_SCHEDULER',
    missing
      ? 'Cannot install a cron schedule: the `crontab` command is not installed (or not on PATH)'
      : `Cannot install a cron schedule: running \`crontab\` failed: ${error.message}`,
    {
      hint: 'Install cron (e.g. `sudo apt install cron`), or use `lifeboat schedule install --flavour systemd` on a systemd machine, or keep `lifeboat daemon` running instead',
    },
  );
}

/** What to do when the OS scheduler would not take the written files (e.g. no systemd user bus over SSH). */
export function activationHint(flavour: Flavour, failure: string): string {
  const daemon = 'or keep `lifeboat daemon` running instead of an OS schedule';
  if (flavour === 'systemd') {
    const bus = /bus/i.test(failure)
      ? 'systemd has no user session bus here (an SSH login without a user session, a container, or sudo): '
      : '';
    return `${bus}log in to a user session (or run \`loginctl enable-linger $USER\`) and run \`lifeboat schedule install\` again, or use \`lifeboat schedule install --flavour cron\`, ${daemon}`;
  }
  return `Fix the failure above and run \`lifeboat schedule install\` again, ${daemon}`;
}

export function writeCrontab(target: string, content: string): void {
  if (target !== 'crontab') {
    writeFileSync(target, content);
    return;
  }
  const result = spawnSync('crontab', ['-'], { input: content, encoding: 'utf8' });
  if (result.error) throw noCrontab(result.error);
  if (result.status !== 0) {
    throw new UsageError(`crontab refused the new table: ${result.stderr?.trim() || `exit ${result.status}`}`, {
      hint: 'Check that cron is installed and that you may use crontab',
    });
  }
}

/** Runs OS commands in order; returns the first failure as text. `{dir}` in an argument is the files' folder. */
export function runCommands(commands: string[][], dir: string): string | undefined {
  for (const [program, ...args] of commands) {
    const result = spawnSync(
      program!,
      args.map((a) => a.replace('{dir}', dir)),
      { encoding: 'utf8' },
    );
    if (result.status !== 0) {
      return `${[program, ...args].join(' ')} failed: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim()}`;
    }
  }
  return undefined;
}

export function removeFiles(entry: InstalledEntry, plan: string): string[] {
  const removed: string[] = [];
  for (const file of entry.files) {
    if (existsSync(file)) {
      rmSync(file, { force: true });
      removed.push(file);
    }
  }
  if (entry.crontab) {
    const rest = withCronLine(readCrontab(entry.crontab), plan, undefined);
    if (rest === '' && entry.crontabCreated && entry.crontab !== 'crontab') rmSync(entry.crontab, { force: true });
    else writeCrontab(entry.crontab, rest);
    removed.push(`the crontab line of plan ${plan}${entry.crontab === 'crontab' ? '' : ` in ${entry.crontab}`}`);
  }
  return removed;
}
