/**
 * fauxqs (the S3 server of the tests) in its own process: a benchmark's S3 destination must not share the event
 * loop of the simulated iCloud, or the two would slow each other and the figures. Objects stay in its memory:
 * fauxqs's file storage refuses the completion of multipart uploads past about 1 GiB (InvalidPart; the same
 * 2 GiB upload completes against Swift and against fauxqs in memory), and the memory figure streams 4 GiB.
 * The child prints `{"port":N}` once listening and stops on SIGTERM or when its parent goes.
 * Child: node fauxqs-process.js
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';

export interface FauxqsProcess {
  endpoint: string;
  /** `--set`/`--secret` arguments of `lifeboat destination add s3` for `bucket`; secrets go on stdin. */
  destinationArgs(bucket: string): string[];
  secretsInput: string;
  /** rclone's environment for a remote named `name` on this server (no config file read). */
  rcloneEnv(name: string, configDir: string): Record<string, string>;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

const KEY_ID = 'bench-key-id';
const SECRET = 'bench-secret-key';

export async function startFauxqsProcess(): Promise<FauxqsProcess> {
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'], // stdin open: the child exits when it closes (this process died)
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fauxqs exited (${code}) before listening`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
  });
  return {
    endpoint,
    destinationArgs: (bucket) => [
      ...['--set', `bucket=${bucket}`, '--set', `endpoint=${endpoint}`, '--set', 'forcePathStyle=true'],
      ...['--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
    ],
    secretsInput: `${KEY_ID}\n${SECRET}\n`,
    rcloneEnv: (name, configDir) => {
      const prefix = `RCLONE_CONFIG_${name.toUpperCase()}_`;
      return {
        RCLONE_CONFIG: join(configDir, 'rclone.conf'), // no such file: never a user's remotes
        [`${prefix}TYPE`]: 's3',
        [`${prefix}PROVIDER`]: 'Other',
        [`${prefix}ENDPOINT`]: endpoint,
        [`${prefix}ACCESS_KEY_ID`]: KEY_ID,
        [`${prefix}SECRET_ACCESS_KEY`]: SECRET,
        [`${prefix}REGION`]: 'us-east-1',
        [`${prefix}FORCE_PATH_STYLE`]: 'true',
      };
    },
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serve(): Promise<void> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve();
