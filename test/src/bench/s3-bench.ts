/**
 * S3 benchmark: Lifeboat and rclone uploading the same folder (1,000 files of 1 MB to 20 MB, ~4 GB) to the same
 * Swift s3api server, in the same run. Target: Lifeboat no slower than rclone.
 * Flags: --scale 0.1 for a quick run (100 files, ~400 MB). Results: bench/results/s3.json.
 * Needs the Debian packages (bash scripts/ensure-debs.sh), the built CLI (tsc -b) and its s3 destination.
 *
 * Both contenders read the data set from the page cache (it is read once up front) and write to one server that
 * fsyncs every object; rclone runs first, with its defaults (4 transfers), from a remote defined by environment only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { assertCliBuilt, type CliOptions, lifeboatOk, repoRoot, spawnCli } from '../e2e/cli.js';
import { type SwiftServer, startSwift } from '../servers/swift.js';
import { type BenchParams, benchSizes, ensureDataSet } from './data-set.js';
import { type Measured, mb, measure, scaleArg } from './measure.js';
import type { Figure } from './report.js';

const RATIO_TARGET = 1; // Lifeboat's wall time over rclone's
const RCLONE_BUCKET = 'bench-rclone';
const LIFEBOAT_BUCKET = 'bench-lifeboat';

function rcloneVersion(): string {
  const result = spawnSync('rclone', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error('rclone is not installed. Run `bash scripts/ensure-debs.sh` to install the Debian packages.');
  }
  return result.stdout.split('\n', 1)[0]!.trim();
}

/** Fails at once, before minutes of data generation, if the CLI cannot back up to S3 yet. */
async function assertS3Destination(home: string): Promise<void> {
  const listed = await lifeboatOk(['plugins', '--json'], { home });
  const plugins = listed.json<Array<{ id: string; destinations: string[]; state: string; error?: string }>>();
  const s3 = plugins.find((p) => p.destinations.includes('s3'));
  if (!s3) {
    throw new Error(
      'The lifeboat CLI has no `s3` destination yet (`lifeboat plugins --json` lists none). ' +
        'Build packages/plugin-s3 (npm run build) once it exists, then run this bench again.',
    );
  }
  if (s3.state === 'failed') throw new Error(`The CLI's s3 plugin failed to load: ${s3.error ?? 'no reason given'}`);
}

/** Reads every file once, so both contenders find the data set in the page cache. */
async function warmPageCache(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) if (entry.isFile()) await readFile(join(entry.parentPath, entry.name));
}

async function bucketContents(swift: SwiftServer, bucket: string): Promise<{ objects: number; bytes: number }> {
  const s3 = new S3Client(swift.clientConfig());
  try {
    let objects = 0;
    let bytes = 0;
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
      for (const object of page.Contents ?? []) {
        objects++;
        bytes += object.Size ?? 0;
      }
    }
    return { objects, bytes };
  } finally {
    s3.destroy();
  }
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/** Runs the comparison at `scale`, writes bench/results/s3.json, and returns the figure for `npm run bench`. */
export async function s3Bench(scale: number): Promise<Figure[]> {
  assertCliBuilt();
  const rclone = rcloneVersion();
  const work = join(tmpdir(), 'lifeboat-bench');
  const runDir = join(work, `s3-run-${process.pid}`);
  await mkdir(runDir, { recursive: true });
  let swift: SwiftServer | undefined;
  try {
    await assertS3Destination(join(runDir, 'probe-home'));

    const params: BenchParams = {
      files: Math.round(1000 * scale),
      totalBytes: Math.round(4e9 * scale),
      minSize: 1_000_000,
      maxSize: 20_000_000,
      seed: 1,
    };
    const bytes = benchSizes(params).reduce((a, b) => a + b, 0);
    console.log(`Data set: ${params.files} JPEGs, ${mb(bytes).toFixed(0)} MB, 1 MB - 20 MB each`);
    let started = performance.now();
    const data = await ensureDataSet(work, params);
    const took = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`  ${data.reused ? 'reused' : `generated in ${took} s`}: ${data.dir}`);
    await warmPageCache(data.dir);

    console.log('Starting Swift (s3api) ...');
    swift = await startSwift();
    onSignal = () => Promise.all([swift?.stop(), rm(runDir, { recursive: true, force: true })]).then(() => {});
    console.log(`  ${swift.endpoint}, ready in ${(swift.startupMs / 1000).toFixed(1)} s`);
    await swift.createBucket(RCLONE_BUCKET);
    await swift.createBucket(LIFEBOAT_BUCKET);

    spawnSync('sync');
    console.log(`rclone copy (${rclone}) ...`);
    const rcloneEnv: NodeJS.ProcessEnv = {
      ...process.env,
      RCLONE_CONFIG: join(runDir, 'rclone.conf'), // no such file: never a user's remotes
      RCLONE_CONFIG_SW_TYPE: 's3',
      RCLONE_CONFIG_SW_PROVIDER: 'Other',
      RCLONE_CONFIG_SW_ENDPOINT: swift.endpoint,
      RCLONE_CONFIG_SW_ACCESS_KEY_ID: swift.accessKeyId,
      RCLONE_CONFIG_SW_SECRET_ACCESS_KEY: swift.secretAccessKey,
      RCLONE_CONFIG_SW_REGION: swift.region,
      RCLONE_CONFIG_SW_FORCE_PATH_STYLE: 'true',
    };
    delete rcloneEnv.AWS_CA_BUNDLE; // `env -u AWS_CA_BUNDLE`: rclone fails on this machine's bundle setting
    started = performance.now();
    const rcloneRun = await measure(
      spawn('rclone', ['copy', data.dir, `sw:${RCLONE_BUCKET}`], { env: rcloneEnv, stdio: ['ignore', 'pipe', 'pipe'] }),
      'rclone copy',
      started,
    );
    const rcloneLanded = await bucketContents(swift, RCLONE_BUCKET);
    if (rcloneLanded.objects !== params.files || rcloneLanded.bytes !== bytes) {
      throw new Error(`rclone left ${rcloneLanded.objects} objects (${rcloneLanded.bytes} bytes) in the bucket`);
    }

    spawnSync('sync');
    console.log('lifeboat run ...');
    const cli: CliOptions = {
      home: join(runDir, 'home'),
      // The vault, not the OS keychain: nothing to unlock on a headless bench machine.
      env: { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'bench' },
    };
    await lifeboatOk(['source', 'add', 'folder', 'photos', '--set', `path=${data.dir}`], cli);
    await lifeboatOk(
      [
        ...['destination', 'add', 's3', 'swift', '--set', `bucket=${LIFEBOAT_BUCKET}`],
        ...['--set', `endpoint=${swift.endpoint}`, '--set', 'forcePathStyle=true'],
        ...['--set', 'checksumMode=when_required', '--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
      ],
      { ...cli, input: `${swift.accessKeyId}\n${swift.secretAccessKey}\n`, timeoutMs: 60_000 },
    );
    await lifeboatOk(['plan', 'add', 'bench', '--source', 'photos', '--destination', 'swift'], cli);
    started = performance.now();
    const run = await measure(spawnCli(['run', 'bench', '--json'], cli), 'lifeboat run', started);
    const report = JSON.parse(run.stdout) as { ok: boolean; filesCopied: number };
    if (!report.ok || report.filesCopied !== params.files) {
      throw new Error(`lifeboat copied ${report.filesCopied} of ${params.files} files:\n${run.stdout}`);
    }
    const lifeboatLanded = await bucketContents(swift, LIFEBOAT_BUCKET);
    if (lifeboatLanded.objects < params.files || lifeboatLanded.bytes < bytes) {
      throw new Error(`lifeboat left ${lifeboatLanded.objects} objects (${lifeboatLanded.bytes} bytes) in the bucket`);
    }

    const rows: Array<[string, Measured]> = [
      ['rclone copy', rcloneRun],
      ['lifeboat run (1 bucket)', run],
    ];
    console.log(`\n${'contender'.padEnd(26)}${'wall s'.padStart(9)}${'MB/s'.padStart(9)}  peak RSS`);
    for (const [label, m] of rows) {
      console.log(
        `${label.padEnd(26)}${fmt(m.seconds)}${fmt(mb(bytes) / m.seconds, 1)}  ${mb(m.peakRss).toFixed(0)} MB`,
      );
    }
    const ratio = run.seconds / rcloneRun.seconds;
    const targets = { 'Lifeboat no slower than rclone': ratio <= RATIO_TARGET };
    console.log(`\nlifeboat / rclone = ${ratio.toFixed(2)}x`);
    for (const [target, ok] of Object.entries(targets)) console.log(`  ${verdict(ok)}  ${target}`);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      params: { ...params, scale, bytes },
      server: { kind: 'OpenStack Swift 2.30 s3api (one replica, loopback)', startupMs: swift.startupMs },
      rclone: {
        version: rclone,
        seconds: rcloneRun.seconds,
        mbPerSecond: mb(bytes) / rcloneRun.seconds,
        peakRssBytes: rcloneRun.peakRss,
        landed: rcloneLanded,
      },
      lifeboat: {
        seconds: run.seconds,
        mbPerSecond: mb(bytes) / run.seconds,
        peakRssBytes: run.peakRss,
        landed: lifeboatLanded,
      },
      ratios: { lifeboatOverRclone: ratio },
      targets,
      pageCache: 'data set read once before both contenders; rclone ran first',
    };
    const out = join(repoRoot, 'bench', 'results', 's3.json');
    await mkdir(join(repoRoot, 'bench', 'results'), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults: ${out}\nData set kept for the next run: ${data.dir} (delete it to free the space)`);
    return [
      {
        bench: 'disk to S3 vs rclone',
        label: `lifeboat run: ${params.files} files, ${mb(bytes).toFixed(0)} MB -> Swift`,
        value: run.seconds,
        unit: 's',
        baseline: { label: `rclone copy (${rclone.replace(/^rclone /, '')})`, value: rcloneRun.seconds },
        ratio,
        ratioMeaning: 'x rclone',
        target: { text: 'no slower than rclone (<= 1)', met: ratio <= RATIO_TARGET },
        details: results,
      },
    ];
  } finally {
    await swift?.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

// Ctrl-C: the servers die with this process anyway (setpriv), but their temp folder holds gigabytes: remove it.
let onSignal: (() => Promise<void>) | undefined;
process.once('SIGINT', () => {
  console.error('s3 bench interrupted');
  void (onSignal?.() ?? Promise.resolve()).finally(() => process.exit(130));
});

// Run on its own: node test/dist/bench/s3-bench.js [--scale X]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  s3Bench(scaleArg()).catch((error: unknown) => {
    console.error(`s3 bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
