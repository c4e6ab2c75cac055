import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RcloneWebdav {
  /** `http://127.0.0.1:<port>/` */
  endpoint: string;
  /** The local folder the server serves. */
  dir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real WebDAV server for the tests: `rclone serve webdav` (Debian's rclone) on a temp folder and a free loopback
 * port. No directory cache, so what a test changes behind the server's back (a planted leftover, a removed root)
 * is seen at once. `htpasswd`: a file of `user:{SHA}...` lines the server then requires.
 */
export async function startRcloneWebdav(options: { htpasswd?: string } = {}): Promise<RcloneWebdav> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-webdav-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      'serve',
      'webdav',
      dir,
      '--addr',
      `127.0.0.1:${port}`,
      '--dir-cache-time',
      '0s',
      '--poll-interval',
      '0',
    ];
    if (options.htpasswd) args.push('--htpasswd', options.htpasswd);
    const child = spawn('rclone', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const endpoint = `http://127.0.0.1:${port}/`;
    if (await listening(child, endpoint)) {
      return {
        endpoint,
        dir,
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    // Another process may have taken the port between freePort() and rclone binding it: try another.
    if (attempt >= 3) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`rclone serve webdav did not start (is rclone installed? scripts/ensure-debs.sh):\n${log}`);
    }
  }
}

/** Waits until the server answers (any HTTP status), or the process exits. */
async function listening(child: ChildProcess, endpoint: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return false;
    try {
      await fetch(endpoint, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}
