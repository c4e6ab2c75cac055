import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, hashTree, spawnRun, walkFiles } from '../cli.js';
import {
  createIcloudWorld,
  expectedFiles,
  type IcloudWorld,
  listedStates,
  verifyDrive,
} from '../icloud/icloud-world.js';
import { type S3Server, SECRETS_INPUT, startS3Server } from '../s3/s3-world.js';
import { catalogProblems } from './catalog-check.js';

// SIGKILL at 20 seeded random instants across backup runs from the simulated iCloud to a disk drive and an S3
// bucket. After each kill the catalog must pass SQLite's integrity check and the next run must complete; at the
// end `lifeboat verify --all` proves a copy of every asset on both destinations, and neither holds anything under
// a final name that is not a complete copy.

const KILLS = 20;
const SEED = 2026;
const INITIAL_ASSETS = 60;
/** New assets before each later attempt, so every killed run has downloads to be interrupted in. */
const ADDED_PER_ATTEMPT = 6;
const PLAN = 'both';
const PREFIX = 'lb/';

/** When to kill: a delay after spawn (start-up, listing, copying), or a number of downloads in, then a delay. */
type Instant = { afterMs: number } | { afterDownloads: number; thenMs: number };

interface Attempt {
  instant: string;
  killed: boolean;
  downloadsBeforeKill: number;
  catalog: string[];
  next: CliResult;
}

describe('backups from iCloud to a drive and a bucket, SIGKILLed at 20 random instants', () => {
  let world: IcloudWorld;
  let s3: S3Server;
  let bucket: string;
  let drive: string;
  const attempts: Attempt[] = [];
  let verify: CliResult;

  const describeInstant = (i: Instant) =>
    'afterMs' in i ? `${i.afterMs} ms after start` : `${i.afterDownloads} downloads + ${i.thenMs} ms`;

  /** Starts `run`, SIGKILLs it at the instant unless it exited first. */
  async function runAndKill(instant: Instant): Promise<{ killed: boolean; downloads: number }> {
    const { sim } = world;
    const start = sim.counters.totalDownloads;
    const child = spawnRun(PLAN, { home: world.home, env: world.env }, ['--json']);
    child.stdout?.resume();
    child.stderr?.resume();
    let downloads = 0;
    const kill = () => {
      downloads = sim.counters.totalDownloads - start;
      child.kill('SIGKILL');
    };
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if ('afterMs' in instant) timer = setTimeout(kill, instant.afterMs);
    else {
      poll = setInterval(() => {
        if (sim.counters.totalDownloads - start < instant.afterDownloads) return;
        clearInterval(poll);
        timer = setTimeout(kill, instant.thenMs);
      }, 2);
    }
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (_code, signal) => {
        clearTimeout(timer);
        clearInterval(poll);
        resolve({ killed: signal === 'SIGKILL', downloads });
      });
    });
  }

  beforeAll(async () => {
    world = await createIcloudWorld({
      sim: { assets: INITIAL_ASSETS, seed: 91, sharedAssets: 0, sizeScale: 2 },
      drives: ['drive-a'],
    });
    drive = world.drives[0]!.path;
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    const add = await world.cli(
      ['destination', 'add', 's3', 'offsite', ...s3.destinationArgs(bucket, [`prefix=${PREFIX}`])],
      {
        input: SECRETS_INPUT,
      },
    );
    if (add.code !== 0) throw new Error(add.describe());
    const plan = await world.cli([
      'plan',
      'add',
      PLAN,
      '--source',
      world.source,
      '--destination',
      'drive-a',
      '--destination',
      'offsite',
    ]);
    if (plan.code !== 0) throw new Error(plan.describe());

    const rng = createRng(SEED);
    for (let i = 0; i < KILLS; i++) {
      if (i > 0) world.sim.library.add(ADDED_PER_ATTEMPT);
      // Alternate: blind delays also hit start-up (config, catalog, lock, listing); download counts hit copying.
      let instant: Instant =
        i % 2 === 0 ? { afterMs: rng.int(50, 1500) } : { afterDownloads: rng.int(1, 5), thenMs: rng.int(0, 25) };
      // A run killed before it first created the catalog leaves none, which is sound; one that existed must survive.
      const hadCatalog = existsSync(join(world.home, 'catalog.sqlite'));
      let { killed, downloads } = await runAndKill(instant);
      // A run that ended before its instant had nothing left to interrupt: new work, and half the delay.
      for (let retry = 0; !killed && 'afterMs' in instant && retry < 3; retry++) {
        world.sim.library.add(ADDED_PER_ATTEMPT);
        instant = { afterMs: Math.round(instant.afterMs / 2) };
        ({ killed, downloads } = await runAndKill(instant));
      }
      const catalog = catalogProblems(world.home, { mayBeAbsent: !hadCatalog });
      const next = await world.cli(['run', PLAN, '--json'], { timeoutMs: 60_000 });
      attempts.push({ instant: describeInstant(instant), killed, downloadsBeforeKill: downloads, catalog, next });
    }
    verify = await world.cli(['verify', PLAN, '--all', '--json'], { timeoutMs: 60_000 });
    // A cap, not a target: 41 CLI runs with a sidecar beside every copy took ~170 s on a machine shared by 7 builds.
  }, 240_000);

  afterAll(async () => {
    console.info(
      `killed runs (seed ${SEED}):\n${attempts
        .map(
          (a, i) =>
            `  ${i + 1}. ${a.instant}: ${a.killed ? `killed after ${a.downloadsBeforeKill} downloads` : 'finished first'}; next run exit ${a.next.code}`,
        )
        .join('\n')}`,
    );
    await world?.cleanup();
    await s3?.stop();
  });

  it('really killed runs, most of them in the middle of copying (precondition)', () => {
    expect(attempts).toHaveLength(KILLS);
    const history = attempts
      .map((a) => `${a.instant}: killed=${a.killed} downloads=${a.downloadsBeforeKill}`)
      .join('\n');
    expect(attempts.filter((a) => a.killed).length, history).toBeGreaterThanOrEqual(KILLS - 1);
    expect(attempts.filter((a) => a.killed && a.downloadsBeforeKill > 0).length, history).toBeGreaterThanOrEqual(10);
  });

  it('leaves a catalog that passes PRAGMA integrity_check after every kill', () => {
    expect(attempts.filter((a) => a.catalog.length > 0).map((a) => `${a.instant}: ${a.catalog.join('; ')}`)).toEqual(
      [],
    );
    expect(catalogProblems(world.home)).toEqual([]);
  });

  it('completes the run that follows every kill', () => {
    for (const a of attempts) {
      expect(a.next.code, `after a kill at ${a.instant}:\n${a.next.describe()}`).toBe(0);
      expect(a.next.json<{ ok: boolean }>().ok).toBe(true);
    }
  });

  it('verify --all reads back a healthy copy of every asset on both destinations', () => {
    expect(verify.code, verify.describe()).toBe(0);
    const report = verify.json<{ destinations: Array<{ destination: string; copies: number; healthy: number }> }>();
    const files = expectedFiles(world.sim.library, listedStates(world.sim.library)).length;
    expect(report.destinations.map((d) => [d.destination, d.copies, d.healthy])).toEqual([
      ['drive-a', files, files],
      ['offsite', files, files],
    ]);
  });

  it('holds every resource the simulator serves, byte-identical, and nothing else under a final name', async () => {
    const expected = expectedFiles(world.sim.library, listedStates(world.sim.library));
    expect(expected.length).toBeGreaterThanOrEqual(INITIAL_ASSETS + (KILLS - 1) * ADDED_PER_ATTEMPT);
    const { problems, tree } = await verifyDrive(drive, expected);
    expect(problems).toEqual([]);
    const known = new Set(expected.map((e) => e.sha256));
    expect([...tree].filter(([, sha]) => !known.has(sha)).map(([key]) => key)).toEqual([]);
    expect(tree.size).toBe(expected.length);
    const cloud = await s3.hashes(bucket, PREFIX);
    expect([...cloud].filter(([, sha]) => !known.has(sha)).map(([key]) => key)).toEqual([]);
    expect(cloud).toEqual(await hashTree(drive)); // same keys, same bytes
  });

  it('leaves no temp file behind on the drive', async () => {
    const tmp = join(drive, '.lifeboat', 'tmp');
    expect(existsSync(tmp) ? await walkFiles(tmp, { includeMeta: true }) : []).toEqual([]);
  });
});
