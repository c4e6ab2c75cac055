import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';

export interface DaemonLog {
  readonly file: string;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RotationOptions {
  /** Rotate when the file grows past this (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept: daemon.log.1 (newest) .. daemon.log.N (default 3). */
  keep?: number;
}

/**
 * The daemon's own log: JSON lines in `<logs>/daemon.log`, rotated by size so an always-on process never fills
 * the disk. Nothing secret is ever logged (webhook outcomes carry no URL). Also echoed to `echo` (stderr).
 */
export function daemonLog(logsDir: string, options: RotationOptions = {}, echo?: (line: string) => void): DaemonLog {
  const file = join(logsDir, 'daemon.log');
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 3;
  makeDirsSync(logsDir);
  const rotate = () => {
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(file, `${file}.1`);
  };
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...fields });
    echo?.(`${level === 'info' ? '' : `${level}: `}${message}`);
    try {
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        // no file yet
      }
      if (size > 0 && size + line.length + 1 > maxBytes) rotate();
      appendFileSync(file, `${line}\n`);
    } catch {
      // Logging must never stop the daemon.
    }
  };
  return {
    file,
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
