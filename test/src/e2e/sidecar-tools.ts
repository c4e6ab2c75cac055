/**
 * Reading sidecars and file times back with the tools users have: ExifTool (Debian's libimage-exiftool-perl, as
 * digiKam and friends read XMP) and rclone (`lsl`, which shows an S3 object's time from its `mtime` metadata).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** ExifTool's view of each file (`-G1 -n`: group-qualified tags, numbers as numbers). */
export async function exiftool(files: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('exiftool', ['-json', '-G1', '-n', '-charset', 'filename=utf8', ...files], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, unknown>[];
}

/** ExifTool's `YYYY:MM:DD HH:MM:SS+hh:mm` as the instant it names. */
export function exifInstant(value: unknown): number {
  const m = String(value).match(/^(\d{4}):(\d{2}):(\d{2}) (\d{2}:\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/);
  if (!m) throw new Error(`not a zoned ExifTool date: ${String(value)}`);
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}${m[5]}`);
}

/** `rclone lsl` of a bucket on a test S3 server (remote set up in the environment): key -> modification time. */
export async function rcloneTimes(
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string },
  path: string,
): Promise<Map<string, number>> {
  // The bucket is plain HTTP on loopback; a CA bundle named in the environment only makes rclone's S3 client fail.
  const { AWS_CA_BUNDLE: _, ...inherited } = process.env;
  const { stdout } = await run('rclone', ['lsl', '--config', '/dev/null', `lbtest:${path}`], {
    env: {
      ...inherited,
      TZ: 'UTC',
      RCLONE_CONFIG_LBTEST_TYPE: 's3',
      RCLONE_CONFIG_LBTEST_PROVIDER: 'Other',
      RCLONE_CONFIG_LBTEST_ENDPOINT: s3.endpoint,
      RCLONE_CONFIG_LBTEST_ACCESS_KEY_ID: s3.accessKeyId,
      RCLONE_CONFIG_LBTEST_SECRET_ACCESS_KEY: s3.secretAccessKey,
      RCLONE_CONFIG_LBTEST_REGION: 'us-east-1',
      RCLONE_CONFIG_LBTEST_FORCE_PATH_STYLE: 'true',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const times = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = line.match(/^\s*\d+ (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? (.+)$/);
    if (m) times.set(m[4]!, Date.parse(`${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}Z`));
  }
  return times;
}
