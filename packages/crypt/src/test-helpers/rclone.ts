import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Runs Debian's `rclone` with only the given config file (never a user's remotes); throws with its stderr. */
export function rclone(config: string, args: string[]): { stdout: Buffer; status: number; stderr: string } {
  const env = { ...process.env, RCLONE_CONFIG: config };
  const result = spawnSync('rclone', args, { env, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(
      `cannot run rclone (${result.error.message}); run \`bash scripts/ensure-debs.sh\` to install the Debian packages`,
    );
  }
  return { stdout: result.stdout, status: result.status ?? -1, stderr: result.stderr.toString() };
}

/** Like rclone(), but a non-zero exit fails the test with rclone's own words. */
export function rcloneOk(config: string, args: string[]): Buffer {
  const result = rclone(config, args);
  if (result.status !== 0) throw new Error(`rclone ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** Every file under `root`, as '/'-separated paths relative to it. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}
