import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchPeakRss } from '../../bench/peak-rss.js';
import { assertCliBuilt, lifeboatOk, makeTempDir, removeDir, spawnRun } from '../cli.js';
import type { RunReport } from '../world.js';
import { type S3Server, SECRETS_INPUT, secretsEnv, sha256Object, startS3Server } from './s3-world.js';

const MIB = 1024 * 1024;
const SIZE = 1024 * MIB;
/**
 * Issue 5's target, checked on every run: peak RSS under 200 MB while a 1 GiB file streams to S3. Measured here:
 * 140 MiB (Node, core and the AWS SDK at rest ~115 MiB, the upload's 8 MiB parts, chunk buffers awaiting
 * collection; the launcher keeps V8's young generation small so those are collected early). Without that flag it
 * was 183-187 MiB. A layer buffering the file, or whole parts per file, fails this at once.
 */
const PEAK_LIMIT = 200 * 1000 * 1000;

/**
 * 1 GiB that no layer can compress or deduplicate: a random MiB repeated, each copy stamped with its index.
 * Written in a second or two, and hashed on the way.
 */
async function writeBigFile(path: string): Promise<string> {
  const block = randomBytes(MIB);
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    for (let i = 0; i < SIZE / MIB; i++) {
      block.writeUInt32BE(i, 0);
      hash.update(block);
      await file.write(block);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

describe('uploading a 1 GiB video to S3', () => {
  let s3: S3Server;
  let root: string;
  let sha256: string;
  let bucket: string;
  const env = secretsEnv();

  beforeAll(async () => {
    assertCliBuilt();
    root = await makeTempDir('lifeboat-e2e-s3-big-');
    // Objects in files, not in this process's memory.
    s3 = await startS3Server({ storageDir: join(root, 'fauxqs') });
    bucket = await s3.createBucket();
    await mkdir(join(root, 'videos'));
    sha256 = await writeBigFile(join(root, 'videos', 'holiday.mov'));
    const home = join(root, 'home');
    await lifeboatOk(['source', 'add', 'folder', 'videos', '--set', `path=${join(root, 'videos')}`], { home, env });
    await lifeboatOk(['destination', 'add', 's3', 'cloud-big', ...s3.destinationArgs(bucket)], {
      home,
      env,
      input: SECRETS_INPUT,
    });
    await lifeboatOk(['plan', 'add', 'big', '--source', 'videos', '--destination', 'cloud-big'], { home, env });
  }, 120_000);
  afterAll(async () => {
    await s3?.stop();
    if (root) await removeDir(root);
  });

  it('streams it up in parts without holding the file in memory (peak RSS far below its size)', async () => {
    const child = spawnRun('big', { home: join(root, 'home'), env }, ['--json']);
    const peak = watchPeakRss(child.pid!, 25);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const peakBytes = peak.stop();
    console.info(`1 GiB to S3: peak RSS ${(peakBytes / MIB).toFixed(1)} MiB`);
    const transcript = `exit ${code}\n${Buffer.concat(out)}\n${Buffer.concat(err)}`;
    expect(code, transcript).toBe(0);
    const report = JSON.parse(Buffer.concat(out).toString()) as RunReport;
    expect(report).toMatchObject({ ok: true, filesCopied: 1, bytesCopied: SIZE, failures: [] });
    expect(peakBytes, `peak RSS ${(peakBytes / MIB).toFixed(0)} MiB`).toBeGreaterThan(0);
    expect(peakBytes, `peak RSS ${(peakBytes / MIB).toFixed(0)} MiB`).toBeLessThan(PEAK_LIMIT);
    const keys = (await s3.keys(bucket)).filter((k) => !k.startsWith('.lifeboat/') && !k.endsWith('.xmp'));
    expect(keys).toHaveLength(1); // the video (its XMP sidecar beside it is a small object of its own)
    expect(await sha256Object(s3.client, bucket, keys[0]!)).toBe(sha256);
  }, 180_000);
});
