import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@lifeboat/core';
import { makeDirsSync } from '@lifeboat/core';

/** JSON lines under the state root's logs folder. Nothing secret is ever passed to a logger. */
export function fileLogger(logsDir: string, scope: string): Logger {
  const file = join(logsDir, 'lifeboat.log');
  let ready = false;
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    try {
      if (!ready) makeDirsSync(logsDir);
      ready = true;
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), level, scope, message, ...fields })}\n`);
    } catch {
      // Logging must never break a backup.
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
