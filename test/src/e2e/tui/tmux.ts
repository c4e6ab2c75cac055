/**
 * A real terminal for end-to-end tests of the terminal UI: a tmux server on a private socket runs one command
 * in a fixed-size pane; the test types keys and reads the screen (capture-pane), polling with a deadline rather
 * than sleeping. Every asserted screen can be saved as a text artefact.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TMUX = process.env.LIFEBOAT_TMUX ?? '/usr/bin/tmux';

export function assertTmux(): void {
  if (!existsSync(TMUX)) {
    throw new Error(`tmux is needed for the terminal UI test (looked for ${TMUX}): apt-get install tmux`);
  }
}

export interface Terminal {
  /** The visible screen as text (`colours`: with the escape codes). */
  screen(colours?: boolean): Promise<string>;
  /** tmux key names (Enter, Down, Escape, C-c, BSpace...), each sent on its own. */
  keys(...names: string[]): Promise<void>;
  /** tmux key names sent by one send-keys: they reach the program together, as a fast typist's or SSH's do. */
  burst(...names: string[]): Promise<void>;
  /** Literal text, typed as is. */
  type(text: string): Promise<void>;
  /** Waits until the screen shows `what`; fails with the last screen after `timeoutMs`. */
  waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  /** Saves the current screen as `<artefacts>/<name>.txt` and returns it. */
  save(name: string): Promise<string>;
  kill(): Promise<void>;
}

export async function startTerminal(options: {
  command: string[];
  env: Record<string, string>;
  columns: number;
  rows: number;
  artefacts: string;
}): Promise<Terminal> {
  const socket = `lifeboat-ui-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => run(TMUX, ['-L', socket, '-f', '/dev/null', ...args], { env: process.env });
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const env = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
  // `env` puts exactly these variables into the pane's process; the trailing read keeps the pane (and its last
  // screen) after the program exits, so the test can still see what it printed.
  const shell = `env ${env.map(quote).join(' ')} ${options.command.map(quote).join(' ')}; echo "[exited $?]"; sleep 600`;
  await tmux('new-session', '-d', '-s', 'ui', '-x', String(options.columns), '-y', String(options.rows), shell);
  await tmux('set-option', '-t', 'ui', 'window-size', 'manual');
  const screen = async (colours = false) =>
    (await tmux('capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', 'ui')).stdout;
  let saved = 0;
  return {
    screen,
    async keys(...names) {
      for (const name of names) {
        await tmux('send-keys', '-t', 'ui', name);
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    async burst(...names) {
      await tmux('send-keys', '-t', 'ui', ...names);
      await new Promise((r) => setTimeout(r, 60));
    },
    async type(text) {
      await tmux('send-keys', '-t', 'ui', '-l', text);
      await new Promise((r) => setTimeout(r, 60));
    },
    async waitFor(what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await screen();
        if (typeof what === 'string' ? s.includes(what) : what.test(s)) {
          // A screen is drawn before its key handlers attach (React effects): keys sent in that instant are lost.
          // 250 ms covers it on a loaded machine running test files in parallel (100 ms did not, once).
          await new Promise((r) => setTimeout(r, 250));
          return s;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)}; the screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async resize(columns, rows) {
      await tmux('resize-window', '-t', 'ui', '-x', String(columns), '-y', String(rows));
    },
    async save(name) {
      const s = await screen();
      saved++;
      writeFileSync(join(options.artefacts, `${String(saved).padStart(2, '0')}-${name}.txt`), s);
      return s;
    },
    async kill() {
      await tmux('kill-server').catch(() => {});
    },
  };
}
