import { spawn } from 'node:child_process';
import { childEnv } from '../util/child-env.js';
import type { NotifyEvent } from './events.js';

export interface HookOutcome {
  target: 'command' | 'webhook';
  ok: boolean;
  /** What happened, for the log: never a secret (no URL, no event-unrelated output). */
  detail: string;
}

/**
 * Runs the user's notification command with the event as JSON on stdin. The program and its arguments are
 * passed as a list, never through a shell; it is killed when it runs past `timeoutMs`.
 */
export function runCommandHook(
  command: readonly string[],
  event: NotifyEvent,
  timeoutMs = 30_000,
): Promise<HookOutcome> {
  const [program, ...args] = command;
  if (!program) return Promise.resolve({ target: 'command', ok: false, detail: 'no command configured' });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ target: 'command', ok, detail });
    };
    const child = spawn(program, args, {
      stdio: ['pipe', 'ignore', 'pipe'],
      shell: false,
      // The event and the plan, and nothing of Lifeboat's own environment (it may hold the vault passphrase).
      env: childEnv({ LIFEBOAT_EVENT: event.type, LIFEBOAT_PLAN: event.plan }),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(false, `${program} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
    }, timeoutMs);
    child.on('error', (error) => finish(false, `${program} could not be started: ${error.message}`));
    child.on('close', (code, signal) => {
      if (code === 0) finish(true, `${program} exited 0`);
      else
        finish(
          false,
          `${program} ${signal ? `was killed by ${signal}` : `exited ${code}`}${stderr ? `: ${stderr.trim().slice(0, 300)}` : ''}`,
        );
    });
    // A hook that does not read its stdin must not fail the notification with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(`${JSON.stringify(event)}\n`);
  });
}
