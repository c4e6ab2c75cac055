/**
 * Issue 8, benchmark 1: fan-out throughput. 2,000 photos of 2-50 MB (~8 GB at --scale 1) served by the simulated
 * iCloud on loopback, backed up by the CLI to two disk drives and one S3 bucket (fauxqs, in its own process),
 * against the ceiling measured in the same run: plain parallel HTTP downloads of the same URLs to nowhere, with
 * as many downloads in flight as Lifeboat has files in flight (4). Target: at least 0.8 of the ceiling.
 * Issue 14 adds the same work done with standard tools in the same run, one after the other as a script would:
 * the same parallel downloads into one folder, `cp -r` of it to a second, `rclone copy` of it to the same S3
 * server. Target: Lifeboat in at most 0.7 of their time.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listQuery, SimClient, startSimulator } from '@lifeboat/icloud-sim';
import { makeTempDir, removeDir } from '../e2e/cli.js';
import { benchSizes } from './data-set.js';
import { startFauxqsProcess } from './fauxqs-process.js';
import { icloudScene } from './icloud-scene.js';
import { type Measured, mb, measure, measuredRun } from './measure.js';
import { type Figure, ratio } from './report.js';

const TARGET = 0.8;
const TARGET_OF_TOOLS = 0.7;
const CONCURRENCY = 4; // the engine's default files in flight
const FILE_NAME_SLOT = ['$', '{f}'].join('');

type Rec = { recordName: string; recordType?: string; fields: Record<string, { value: unknown }> };

/** Every original's download URL, read the way a client does: signed in, paging through the listing. */
async function downloadUrls(sim: Awaited<ReturnType<typeof startSimulator>>): Promise<string[]> {
  const client = new SimClient(sim.authUrl, sim.setupUrl);
  await client.signInWithCode(sim.account.appleId, sim.account.password, sim.account.code);
  const urls: string[] = [];
  for (let rank = 0; ; ) {
    const page = await client.ck(
      'private',
      'records/query',
      listQuery('CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', rank),
    );
    const masters = (page.json.records as Rec[]).filter((r) => r.recordType === 'CPLMaster');
    if (masters.length === 0) return urls;
    for (const m of masters) {
      const res = m.fields.resOriginalRes?.value as { downloadURL: string } | undefined;
      // Apple's URLs carry a literal `${f}` for the file name: a client puts a name there.
      if (res) urls.push(res.downloadURL.replace(FILE_NAME_SLOT, 'file'));
    }
    rank += masters.length;
  }
}

export async function fanOutBench(scale: number): Promise<Figure[]> {
  const params = {
    files: Math.max(20, Math.round(2000 * scale)),
    totalBytes: Math.round(8e9 * scale),
    minSize: 2e6,
    maxSize: 50e6,
    seed: 8,
  };
  const sizes = benchSizes(params);
  const bytes = sizes.reduce((a, b) => a + b, 0);
  console.log(`[fan-out] ${params.files} photos, ${mb(bytes).toFixed(0)} MB, to 2 disks + S3, vs plain downloads`);
  const sim = await startSimulator({ assets: 0, seed: 8, sharedAssets: 0 });
  for (const size of sizes) sim.library.add(1, { kind: 'photo', size });
  const root = await makeTempDir('lifeboat-bench-fanout-');
  const s3 = await startFauxqsProcess();
  try {
    const urls = await downloadUrls(sim);
    if (urls.length !== params.files) throw new Error(`the listing gave ${urls.length} URLs, not ${params.files}`);
    const urlFile = join(root, 'urls.json');
    await writeFile(urlFile, JSON.stringify(urls));
    const ceilingScript = fileURLToPath(new URL('./http-ceiling.js', import.meta.url));
    const ceiling = await measure(
      spawn(process.execPath, [ceilingScript, urlFile, String(CONCURRENCY)], { stdio: ['ignore', 'pipe', 'pipe'] }),
      'the plain downloads',
    );
    const downloaded = (JSON.parse(ceiling.stdout) as { bytes: number }).bytes;
    if (downloaded !== bytes) throw new Error(`the plain downloads got ${downloaded} bytes, not ${bytes}`);
    const ceilingRate = mb(bytes) / ceiling.seconds;
    console.log(`  plain downloads: ${ceiling.seconds.toFixed(1)} s, ${ceilingRate.toFixed(0)} MB/s`);

    const cli = await icloudScene(sim, root, { drives: 2, s3: { server: s3, bucket: 'bench-fanout' } });
    const run = await measuredRun('main', cli);
    if (run.report.bytesCopied < bytes) throw new Error(`lifeboat copied ${run.report.bytesCopied} of ${bytes} bytes`);
    const rate = mb(run.report.bytesCopied) / run.seconds;
    console.log(`  lifeboat: ${run.seconds.toFixed(1)} s, ${rate.toFixed(0)} MB/s (each byte written 3 times)`);
    const r = ratio(rate, ceilingRate);
    // A tool that fails on this S3 server (fauxqs refuses rclone's large PUTs and some of its multipart uploads)
    // leaves this figure unmeasured, not the whole benchmark.
    const tools = await standardTools({ root, urlFile, ceilingScript, s3 }).catch((error: unknown) => {
      console.log(`  standard tools: not measured: ${String(error).split('\n')[0]}`);
      return undefined;
    });
    const toolsSeconds = tools ? tools.download.seconds + tools.cp.seconds + tools.rclone.seconds : Number.NaN;
    if (tools)
      console.log(
        `  standard tools: ${toolsSeconds.toFixed(1)} s (downloads ${tools.download.seconds.toFixed(1)} s, ` +
          `cp -r ${tools.cp.seconds.toFixed(1)} s, rclone copy ${tools.rclone.seconds.toFixed(1)} s)`,
      );
    const toolsRatio = ratio(run.seconds, toolsSeconds);
    return [
      {
        bench: 'fan-out throughput',
        label: `lifeboat run: ${params.files} photos, ${mb(bytes).toFixed(0)} MB -> 2 disks + S3`,
        value: rate,
        unit: 'MB/s',
        baseline: { label: `plain parallel downloads x${CONCURRENCY}`, value: ceilingRate },
        ratio: r,
        ratioMeaning: 'of ceiling',
        target: { text: `>= ${TARGET} of ceiling`, met: r >= TARGET },
        details: {
          files: params.files,
          bytes,
          lifeboat: { seconds: run.seconds, peakRssBytes: run.peakRss, filesCopied: run.report.filesCopied },
          ceiling: { seconds: ceiling.seconds, peakRssBytes: ceiling.peakRss, concurrency: CONCURRENCY },
          tools: Object.fromEntries(
            Object.entries(tools ?? {}).map(([k, m]) => [k, { seconds: m.seconds, peakRssBytes: m.peakRss }]),
          ),
        },
      },
      {
        bench: 'fan-out throughput',
        label: `lifeboat run vs standard tools: ${params.files} photos -> 2 disks + S3`,
        value: run.seconds,
        unit: 's',
        baseline: { label: `downloads x${CONCURRENCY} to a folder + cp -r + rclone copy`, value: toolsSeconds },
        ratio: toolsRatio,
        ratioMeaning: "x the tools' time",
        target: { text: `<= ${TARGET_OF_TOOLS}x their time`, met: toolsRatio <= TARGET_OF_TOOLS },
      },
    ];
  } finally {
    await s3.stop();
    await sim.stop();
    await removeDir(root);
  }
}

/** The fan-out done by hand: parallel downloads to one folder, then `cp -r` to a second, then `rclone copy` to S3. */
async function standardTools(options: {
  root: string;
  urlFile: string;
  ceilingScript: string;
  s3: Awaited<ReturnType<typeof startFauxqsProcess>>;
}): Promise<{ download: Measured; cp: Measured; rclone: Measured }> {
  if (spawnSync('rclone', ['version']).status !== 0)
    throw new Error('rclone is not installed. Run `bash scripts/ensure-debs.sh` to install the Debian packages.');
  const first = join(options.root, 'tools-a');
  const second = join(options.root, 'tools-b');
  await mkdir(first);
  const run = (child: ChildProcess, what: string) => measure(child, what);
  const quiet = { stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
  const download = await run(
    spawn(process.execPath, [options.ceilingScript, options.urlFile, String(CONCURRENCY), first], quiet),
    'the downloads to a folder',
  );
  const cp = await run(spawn('cp', ['-r', first, second], quiet), 'cp -r');
  await options.s3.createBucket('bench-fanout-tools');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.s3.rcloneEnv('fx', options.root) };
  delete env.AWS_CA_BUNDLE; // rclone fails on this machine's bundle setting (as in the S3 benchmark)
  // fauxqs refuses large single PUTs (413): multipart from 5 MB, as Lifeboat's S3 plugin does for large files.
  const args = ['copy', first, 'fx:bench-fanout-tools', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M'];
  const rclone = await run(spawn('rclone', args, { ...quiet, env }), 'rclone copy');
  return { download, cp, rclone };
}
