import type { Schedule } from '@lifeboat/core';

export type Flavour = 'systemd' | 'launchd' | 'windows' | 'cron';
export const FLAVOURS: readonly Flavour[] = ['systemd', 'launchd', 'windows', 'cron'];

export interface RenderInput {
  plan: string;
  schedule: Schedule;
  /** The program and arguments that run the plan once: node, the CLI, `run <plan>`. */
  command: string[];
  /** Non-secret environment the run needs (LIFEBOAT_HOME, LIFEBOAT_SECRETS). Never a passphrase. */
  env: Record<string, string>;
  /** Where the run's output goes (launchd). */
  logsDir: string;
}

export interface Rendered {
  /** Files to write, by name, into the flavour's folder. */
  files: { name: string; content: string }[];
  /** For `cron`: the one crontab line (tagged with the plan). */
  cronLine?: string;
  /** Commands that make the OS pick the files up, and that undo it. */
  activate: string[][];
  deactivate: string[][];
  /** How the user can check it. */
  check: string;
}
