/**
 * Test harness for the UI: a real container over a temp LIFEBOAT_HOME (real config file, real catalog, the
 * encrypted vault for secrets), real photo folders and drives, and the App rendered by ink-testing-library.
 * Nothing of core is mocked. Test-only (excluded from the build).
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import { render } from 'ink-testing-library';
import { AppServices } from '../../app/services.js';
import { runCli } from '../../cli.js';
import { closeCatalog, createContainer } from '../../container.js';
import type { Io } from '../../output/io.js';
import { App } from '../app.js';
import type { Route } from '../nav.js';

export const KEY = {
  enter: '\r',
  esc: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  space: ' ',
  home: '\u001B[H',
  end: '\u001B[F',
  tab: '\t',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
  backspace: '\u007F',
} as const;

export interface Scene {
  root: string;
  home: string;
  /** The services the App gets, over the same state the CLI uses. */
  app: AppServices;
  /** Runs a CLI command against the same state; throws with its output unless it exits 0. */
  cli(args: string[]): Promise<string>;
  dispose(): void;
}

/** `passphrase: false`: no LIFEBOAT_VAULT_PASSPHRASE, so the vault asks through the UI. */
export function createScene(options: { passphrase?: false } = {}): Scene {
  const root = mkdtempSync(join(tmpdir(), 'lifeboat-ui-'));
  const home = join(root, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, LIFEBOAT_HOME: home, LIFEBOAT_SECRETS: 'vault' };
  if (options.passphrase === false) delete env.LIFEBOAT_VAULT_PASSPHRASE;
  else env.LIFEBOAT_VAULT_PASSPHRASE = 'ui-test';
  const c = createContainer(env);
  return {
    root,
    home,
    app: c.resolve(AppServices),
    async cli(args) {
      const lines: string[] = [];
      const io: Io = {
        out: (t) => lines.push(t),
        err: (t) => lines.push(t),
        json: (v) => lines.push(JSON.stringify(v)),
        isTTY: false,
      };
      const code = await runCli(c, io, args);
      if (code !== 0) throw new Error(`lifeboat ${args.join(' ')} -> ${code}\n${lines.join('\n')}`);
      return lines.join('\n');
    },
    dispose() {
      closeCatalog(c);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Files with the given names and (file-time) capture dates; contents differ, so each is a distinct photo. */
export function photoFolder(dir: string, photos: { name: string; date: string; size?: number }[]): void {
  makeDirsSync(dir);
  for (const [i, p] of photos.entries()) {
    const file = join(dir, p.name);
    writeFileSync(file, Buffer.alloc(p.size ?? 1000 + i, i + 1));
    const t = new Date(p.date);
    utimesSync(file, t, t);
  }
}

export function renderApp(services: AppServices, initial?: Route) {
  const app = render(<App app={services} {...(initial ? { initial } : {})} />);

  const frame = () => app.lastFrame() ?? '';
  return {
    ...app,
    frame,
    /** Writes keys as one chunk of stdin, as a fast typist or a paste over SSH delivers them. */
    async burst(...keys: string[]) {
      app.stdin.write(keys.join(''));
      await sleep(25);
    },
    /** Types keys one by one, letting the UI react between them. */
    async press(...keys: string[]) {
      for (const k of keys) {
        app.stdin.write(k);
        await sleep(25);
      }
    },
    async type(text: string) {
      app.stdin.write(text);
      await sleep(25);
    },
    /** Waits until the frame shows `what` (text or pattern); fails with the last frame after `timeoutMs`. */
    async waitFor(what: string | RegExp, timeoutMs = 10_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (typeof what === 'string' ? f.includes(what) : what.test(f)) {
          // UI_DUMP=1 prints every awaited frame, to look at the screens a test walks through.
          if (process.env.UI_DUMP) process.stderr.write(`\n--- ${String(what)} ---\n${f}\n`);
          // A frame is drawn before its effects run: give the screen's key handlers a moment to attach.
          await sleep(30);
          return f;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)}; last frame:\n${f}`);
        await sleep(20);
      }
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
