/**
 * S3 benchmark: Lifeboat and rclone uploading the same folder (1,000 files of 1 MB to 20 MB, ~4 GB) to the same
 * Swift s3api server, in the same run. Target: Lifeboat no slower than rclone.
 * The issue defines the data set (1,000 files), so this bench runs it whole unless --scale is given explicitly:
 * at `npm run bench`'s default scale (0.25) Lifeboat's fixed start-up (~0.7 s before its first upload: plugins,
 * catalog, vault, the listing with its EXIF reads) would weigh four times as much as in the issue's comparison.
 * Flags: --scale 0.1 for a quick run (100 files, ~400 MB); --rounds N (default 3). Results: bench/results/s3.json.
 * Needs the Debian packages (bash scripts/ensure-debs.sh), the built CLI (tsc -b) and its s3 destination.
 *
 * `s3crypt` (issue 20) runs the same comparison encrypted: Lifeboat with `encryption=rclone-crypt`, rclone copying
 * to a crypt remote over the same server, both with the same password. Results: bench/results/s3-crypt.json.
 *
 * Both contenders read the data set from the page cache (it is read once up front) and write to one server that
 * fsyncs every object; rclone runs with its defaults (4 transfers), from a remote defined by environment only.
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
import { flagValue, type Measured, mb, measure, scaleArg } from './measure.js';
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

/** `--rounds N`: how many times each contender runs (default 3); the figure compares their medians. */
function roundsArg(): number {
  const raw = flagValue('--rounds');
  const rounds = raw === undefined ? 3 : Number(raw);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
  return rounds;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Round {
  round: number;
  first: 'rclone' | 'lifeboat';
  rclone: Measured;
  lifeboat: Measured;
  swiftStartupMs: number;
}

/** Encrypted rounds (`s3crypt`): both contenders encrypt in rclone's crypt format with this password. */
const CRYPT_PASSWORD = 'bench crypt password';
let crypt = false;

async function runRclone(swift: SwiftServer, dir: string, runDir: string, expected: { files: number; bytes: number }) {
  const obscured = crypt ? spawnSync('rclone', ['obscure', CRYPT_PASSWORD], { encoding: 'utf8' }).stdout.trim() : '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG: join(runDir, 'rclone.conf'), // no such file: never a user's remotes
    RCLONE_CONFIG_SW_TYPE: 's3',
    RCLONE_CONFIG_SW_PROVIDER: 'Other',
    RCLONE_CONFIG_SW_ENDPOINT: swift.endpoint,
    RCLONE_CONFIG_SW_ACCESS_KEY_ID: swift.accessKeyId,
    RCLONE_CONFIG_SW_SECRET_ACCESS_KEY: swift.secretAccessKey,
    RCLONE_CONFIG_SW_REGION: swift.region,
    RCLONE_CONFIG_SW_FORCE_PATH_STYLE: 'true',
    RCLONE_CONFIG_SC_TYPE: 'crypt',
    RCLONE_CONFIG_SC_REMOTE: `sw:${RCLONE_BUCKET}`,
    RCLONE_CONFIG_SC_PASSWORD: obscured,
  };
  delete env.AWS_CA_BUNDLE; // `env -u AWS_CA_BUNDLE`: rclone fails on this machine's bundle setting
  const started = performance.now();
  const target = crypt ? 'sc:' : `sw:${RCLONE_BUCKET}`;
  const child = spawn('rclone', ['copy', dir, target], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const measured = await measure(child, 'rclone copy', started);
  const landed = await bucketContents(swift, RCLONE_BUCKET);
  // Encrypted objects are larger (a header and 16 bytes per 64 KiB block).
  if (landed.objects !== expected.files || (crypt ? landed.bytes < expected.bytes : landed.bytes !== expected.bytes)) {
    throw new Error(`rclone left ${landed.objects} objects (${landed.bytes} bytes) in the bucket`);
  }
  return measured;
}

async function runLifeboat(swift: SwiftServer, dir: string, home: string, expected: { files: number; bytes: number }) {
  // The vault, not the OS keychain: nothing to unlock on a headless bench machine.
  const cli: CliOptions = { home, env: { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'bench' } };
  await lifeboatOk(['source', 'add', 'folder', 'photos', '--set', `path=${dir}`], cli);
  await lifeboatOk(
    [
      ...['destination', 'add', 's3', 'swift', '--set', `bucket=${LIFEBOAT_BUCKET}`],
      ...['--set', `endpoint=${swift.endpoint}`, '--set', 'forcePathStyle=true'],
      ...['--set', 'checksumMode=when_required', '--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
      ...(crypt ? ['--set', 'encryption=rclone-crypt', '--secret', 'encryptionPassword'] : []),
    ],
    {
      ...cli,
      input: `${swift.accessKeyId}\n${swift.secretAccessKey}\n${crypt ? `${CRYPT_PASSWORD}\n` : ''}`,
      timeoutMs: 60_000,
    },
  );
  await lifeboatOk(['plan', 'add', 'bench', '--source', 'photos', '--destination', 'swift'], cli);
  spawnSync('sync');
  const started = performance.now();
  const run = await measure(spawnCli(['run', 'bench', '--json'], cli), 'lifeboat run', started);
  const report = JSON.parse(run.stdout) as { ok: boolean; filesCopied: number };
  if (!report.ok || report.filesCopied !== expected.files) {
    throw new Error(`lifeboat copied ${report.filesCopied} of ${expected.files} files:\n${run.stdout}`);
  }
  const landed = await bucketContents(swift, LIFEBOAT_BUCKET);
  if (landed.objects < expected.files || landed.bytes < expected.bytes) {
    throw new Error(`lifeboat left ${landed.objects} objects (${landed.bytes} bytes) in the bucket`);
  }
  return run;
}

/**
 * Runs the comparison at `scale`, writes bench/results/s3.json, and returns the figure for `npm run bench`.
 * Each round starts a fresh Swift (nothing left from the round before, and gigabytes freed) and runs both
 * contenders; the one going first alternates, so neither always meets the colder or the fuller server. On a
 * shared machine one run of each swings by ±10 %; the figure compares the medians over the rounds.
 */
export async function s3Bench(defaultScale: number, options: { crypt?: boolean } = {}): Promise<Figure[]> {
  assertCliBuilt();
  crypt = options.crypt === true;
  const scale = flagValue('--scale') === undefined ? 1 : defaultScale;
  const rclone = rcloneVersion();
  const rounds = roundsArg();
  const work = join(tmpdir(), 'lifeboat-bench');
  const runDir = join(work, `s3-run-${process.pid}`);
  await mkdir(runDir, { recursive: true });
  let swift: SwiftServer | undefined;
  onSignal = () => Promise.all([swift?.stop(), rm(runDir, { recursive: true, force: true })]).then(() => {});
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
    const expected = { files: params.files, bytes };
    console.log(`Data set: ${params.files} JPEGs, ${mb(bytes).toFixed(0)} MB, 1 MB - 20 MB each; ${rounds} rounds`);
    const started = performance.now();
    const data = await ensureDataSet(work, params);
    const took = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`  ${data.reused ? 'reused' : `generated in ${took} s`}: ${data.dir}`);
    await warmPageCache(data.dir);

    const done: Round[] = [];
    for (let round = 1; round <= rounds; round++) {
      swift = await startSwift();
      await swift.createBucket(RCLONE_BUCKET);
      await swift.createBucket(LIFEBOAT_BUCKET);
      const first = round % 2 === 1 ? 'rclone' : 'lifeboat';
      const measured: Partial<Record<'rclone' | 'lifeboat', Measured>> = {};
      for (const contender of first === 'rclone' ? ['rclone', 'lifeboat'] : ['lifeboat', 'rclone']) {
        spawnSync('sync');
        measured[contender as 'rclone' | 'lifeboat'] =
          contender === 'rclone'
            ? await runRclone(swift, data.dir, runDir, expected)
            : await runLifeboat(swift, data.dir, join(runDir, `home-${round}`), expected);
      }
      const r: Round = {
        round,
        first,
        rclone: measured.rclone!,
        lifeboat: measured.lifeboat!,
        swiftStartupMs: swift.startupMs,
      };
      done.push(r);
      console.log(
        `  round ${round} (${first} first): rclone ${r.rclone.seconds.toFixed(2)} s, lifeboat ` +
          `${r.lifeboat.seconds.toFixed(2)} s, ${(r.lifeboat.seconds / r.rclone.seconds).toFixed(2)}x`,
      );
      await swift.stop();
      swift = undefined;
    }

    const rcloneSeconds = median(done.map((r) => r.rclone.seconds));
    const lifeboatSeconds = median(done.map((r) => r.lifeboat.seconds));
    const rclonePeak = Math.max(...done.map((r) => r.rclone.peakRss));
    const lifeboatPeak = Math.max(...done.map((r) => r.lifeboat.peakRss));
    console.log(`\n${'contender (median)'.padEnd(26)}${'wall s'.padStart(9)}${'MB/s'.padStart(9)}  peak RSS`);
    for (const [label, seconds, peak] of [
      ['rclone copy', rcloneSeconds, rclonePeak],
      ['lifeboat run (1 bucket)', lifeboatSeconds, lifeboatPeak],
    ] as const) {
      console.log(`${label.padEnd(26)}${fmt(seconds)}${fmt(mb(bytes) / seconds, 1)}  ${mb(peak).toFixed(0)} MB`);
    }
    const ratio = lifeboatSeconds / rcloneSeconds;
    const targets: Record<string, boolean> = { 'Lifeboat no slower than rclone': ratio <= RATIO_TARGET };
    if (crypt) targets['Lifeboat peak RSS under 200 MB'] = lifeboatPeak < 200 * 1024 * 1024;
    console.log(`\nlifeboat / rclone = ${ratio.toFixed(2)}x (medians of ${rounds} rounds)`);
    for (const [target, ok] of Object.entries(targets)) console.log(`  ${verdict(ok)}  ${target}`);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      params: { ...params, scale, bytes, rounds },
      server: { kind: 'OpenStack Swift 2.30 s3api (one replica, loopback), started afresh for each round' },
      rounds: done.map((r) => ({
        round: r.round,
        first: r.first,
        rcloneSeconds: r.rclone.seconds,
        lifeboatSeconds: r.lifeboat.seconds,
        ratio: r.lifeboat.seconds / r.rclone.seconds,
        rclonePeakRssBytes: r.rclone.peakRss,
        lifeboatPeakRssBytes: r.lifeboat.peakRss,
        swiftStartupMs: r.swiftStartupMs,
      })),
      rclone: {
        version: rclone,
        seconds: rcloneSeconds,
        mbPerSecond: mb(bytes) / rcloneSeconds,
        peakRssBytes: rclonePeak,
      },
      lifeboat: { seconds: lifeboatSeconds, mbPerSecond: mb(bytes) / lifeboatSeconds, peakRssBytes: lifeboatPeak },
      ratios: { lifeboatOverRclone: ratio },
      targets,
      pageCache: 'data set read once before the rounds; the contender going first alternates',
    };
    const out = join(repoRoot, 'bench', 'results', crypt ? 's3-crypt.json' : 's3.json');
    await mkdir(join(repoRoot, 'bench', 'results'), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults: ${out}\nData set kept for the next run: ${data.dir} (delete it to free the space)`);
    return [
      {
        bench: crypt ? 'encrypted disk to S3 vs rclone crypt' : 'disk to S3 vs rclone',
        label: `lifeboat run${crypt ? ' (rclone-crypt)' : ''}: ${params.files} files, ${mb(bytes).toFixed(0)} MB -> Swift, median of ${rounds}`,
        value: lifeboatSeconds,
        unit: 's',
        baseline: {
          label: `rclone copy${crypt ? ' to a crypt remote' : ''} (${rclone.replace(/^rclone /, '')}), median`,
          value: rcloneSeconds,
        },
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

// Run on its own: node test/dist/bench/s3-bench.js [--scale X] [--crypt]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  s3Bench(scaleArg(), { crypt: process.argv.includes('--crypt') }).catch((error: unknown) => {
    console.error(`s3 bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
