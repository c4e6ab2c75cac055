/**
 * A real WebDAV server for end-to-end tests: `rclone serve webdav` (Debian's rclone, scripts/ensure-debs.sh) on a
 * temp folder and a free loopback port, optionally behind basic auth (an htpasswd file with a `{SHA}` entry, so
 * the password is on no command line). Started and stopped by the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './ports.js';

export interface RcloneWebdav {
  /** `http://127.0.0.1:<port>/` */
  endpoint: string;
  /** The local folder the server serves. */
  dir: string;
  stop(): Promise<void>;
}

export async function startRcloneWebdav(auth?: { user: string; password: string }): Promise<RcloneWebdav> {
  const base = await mkdtemp(join(tmpdir(), 'lifeboat-webdav-'));
  const dir = join(base, 'served');
  const args = ['serve', 'webdav', dir, '--dir-cache-time', '0s', '--poll-interval', '0'];
  if (auth) {
    const htpasswd = join(base, 'htpasswd');
    const sha = createHash('sha1').update(auth.password).digest('base64');
    await writeFile(htpasswd, `${auth.user}:{SHA}${sha}\n`, { mode: 0o600 });
    args.push('--htpasswd', htpasswd);
  }
  await mkdir(dir);
  let log = '';
  // Another process may take the port between freePorts() and rclone binding it: try another, twice.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [port] = await freePorts(1);
    const child = spawn('rclone', [...args, '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    child.on('error', (error) => (log += `${error.message}\n`));
    const endpoint = `http://127.0.0.1:${port}/`;
    if (await answering(child, endpoint)) {
      return {
        endpoint,
        dir,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          await rm(base, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
  }
  await rm(base, { recursive: true, force: true });
  throw new Error(`rclone serve webdav did not start (is rclone installed? see scripts/ensure-debs.sh):\n${log}`);
}

/** Waits until the server answers (any HTTP status), or the process ends. */
async function answering(child: ChildProcess, endpoint: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      await fetch(endpoint, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}
