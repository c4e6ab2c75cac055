import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, hashTree, lifeboat, multisetDiff } from '../cli.js';
import { unsafeSegments } from '../icloud/icloud-world.js';
import { fixturePlugin } from '../plugins/plugin-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Bad input for the parts this suite adds (verify, repair) and the cases the other suites leave out; each ends
// in a clear error and loses nothing. Already covered elsewhere: a corrupt config for the other commands, bad
// settings and unwritable paths (../bad-input.test.ts), hostile iCloud file names (../icloud/backup.test.ts),
// garbled and newer index segments read by core (packages/core/src/dest-index/index-store.test.ts).

/** A user error: non-zero exit and a message, not a crash dump. */
function expectCleanFailure(result: CliResult, ...mentions: Array<string | RegExp>) {
  expect(result.code, result.describe()).not.toBe(0);
  expect(result.code, result.describe()).not.toBeNull();
  expect(result.stderr, `a stack trace instead of a message:\n${result.describe()}`).not.toMatch(
    /^\s+at .+:\d+:\d+\)?$/m,
  );
  for (const mention of mentions) expect(result.stderr, result.describe()).toMatch(mention);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** File names a folder on Linux may hold that are trouble elsewhere or for a careless program. */
const HOSTILE = [
  'CON.jpg',
  'aux.JPG',
  'trailing dot..jpg',
  'back\\slash.jpg',
  'new\nline.jpg',
  'colon: star* what?.jpg',
  '<angle|pipe>.jpg',
  '-rf.jpg',
  '$(touch pwned).jpg',
  'Cafe\u0301.jpg', // NFD
  'Caf\u00e9.jpg', // NFC: another file that looks the same
  `${'é'.repeat(120)}.jpg`, // 244 bytes
  ' leading space.jpg',
];

describe('bad input: hostile names, a corrupt config, a newer destination index, malformed source records', () => {
  let world: BackupWorld;
  let baseline: Map<string, Map<string, string>>;
  const hostile = new Map<string, string>(); // name -> sha256

  async function expectDrivesIntact() {
    for (const drive of world.drives) {
      const now = await hashTree(drive.path);
      for (const [key, sha] of baseline.get(drive.name)!) expect(now.get(key), `${drive.name}/${key}`).toBe(sha);
    }
  }

  beforeAll(async () => {
    world = await createBackupWorld({ count: 10, seed: 9090 });
    for (const [i, name] of HOSTILE.entries()) {
      const data = `hostile file ${i}: ${name}`;
      await writeFile(join(world.source, name), data);
      hostile.set(name, sha256(data));
    }
    await world.runOk();
    baseline = new Map();
    for (const drive of world.drives) baseline.set(drive.name, await hashTree(drive.path));
  }, 120_000);
  afterAll(() => world?.cleanup());

  it('hostile file names: every file kept under a safe key, verified, and restored byte-identical', async () => {
    for (const drive of world.drives) {
      const tree = baseline.get(drive.name)!;
      expect([...tree.keys()].flatMap(unsafeSegments), drive.name).toEqual([]);
      const { missing } = multisetDiff([...world.manifest.map((e) => e.sha256), ...hostile.values()], tree.values());
      expect(missing, drive.name).toEqual([]);
    }
    const verify = await world.cli(['verify', 'main', '--all']);
    expect(verify.code, verify.describe()).toBe(0);
    const to = join(world.root, 'restored-hostile');
    const restore = await world.cli(['restore', '--from', 'drive-a', '--to', to]);
    expect(restore.code, restore.describe()).toBe(0);
    expect(await hashTree(to)).toEqual(baseline.get('drive-a'));
  });

  it('a corrupt config: verify and repair fail naming the file, which is left as it was', async () => {
    const config = join(world.home, 'config.json');
    const original = await readFile(config);
    const garbage = Buffer.from('{"destinations": { oops');
    await writeFile(config, garbage);
    try {
      for (const args of [
        ['verify', 'main'],
        ['repair', 'main'],
        ['verify', 'drive-a', '--json'],
      ]) {
        expectCleanFailure(await world.cli(args), /config\.json/);
        expect((await readFile(config)).equals(garbage), `config rewritten by ${args.join(' ')}`).toBe(true);
      }
    } finally {
      await writeFile(config, original);
    }
    await expectDrivesIntact();
  });

  it('verify and repair refuse what is neither a destination nor a plan, and a bad --sample, with exit 2', async () => {
    const unknown = await world.cli(['verify', 'nope']);
    expectCleanFailure(unknown, /"nope" is neither a destination nor a plan/, /drive-a/);
    expect(unknown.code).toBe(2);
    for (const sample of ['0', '101', 'five', '-3']) {
      const bad = await world.cli(['verify', 'main', '--sample', sample]);
      expectCleanFailure(bad, /--sample/);
      expect(bad.code).toBe(2);
    }
    expectCleanFailure(await world.cli(['verify', 'main', '--sample', '5', '--all']), /cannot be used together/);
    expectCleanFailure(await world.cli(['repair', 'nope']), /neither a destination nor a plan/);
  });

  it('a destination index written by a newer Lifeboat: reported, never guessed at, nothing written', async () => {
    const driveB = world.drives[1]!.path;
    const segment = join(driveB, '.lifeboat', 'index', '99991231T000000000Z-ffffffff.jsonl');
    await writeFile(segment, `${JSON.stringify({ v: 99, key: '2099/01/future.heic', layout: 'something new' })}\n`);
    try {
      // With local state, the copies are still checked against the catalog, and the index is reported.
      const withState = await world.cli(['verify', 'drive-b', '--json']);
      expect(withState.code, withState.describe()).toBe(1);
      const report = withState.json<{ destinations: Array<{ healthy: number; indexError?: { code: string } }> }>();
      expect(report.destinations[0]).toMatchObject({
        healthy: baseline.get('drive-b')!.size,
        indexError: { code: 'LIFEBOAT_INDEX_TOO_NEW' },
      });
      // On a new machine the index is the only record: verify, a run and a restore all refuse it clearly.
      const home = join(world.root, 'new-machine');
      const cli = (args: string[]) => lifeboat(args, { home });
      for (const args of [
        ['source', 'add', 'folder', 'photos', '--set', `path=${world.source}`],
        ['destination', 'add', 'disk', 'drive-b', '--set', `path=${driveB}`],
        ['plan', 'add', 'again', '--source', 'photos', '--destination', 'drive-b'],
      ]) {
        const setup = await cli(args);
        expect(setup.code, setup.describe()).toBe(0);
      }
      const verify = await cli(['verify', 'drive-b']);
      expectCleanFailure(verify, /newer Lifeboat/, /Upgrade/, /LIFEBOAT_INDEX_TOO_NEW/);
      const run = await cli(['run', 'again']);
      expectCleanFailure(run, /drive-b/, /newer Lifeboat/);
      expectCleanFailure(await cli(['restore', '--from', driveB, '--to', join(world.root, 'r2')]), /newer Lifeboat/);
      expect(await hashTree(driveB)).toEqual(baseline.get('drive-b')); // nothing copied twice, nothing changed
    } finally {
      await rm(segment);
    }
    await expectDrivesIntact();
  });

  it('source records missing fields: the run fails naming the record and the plugin; nothing is marked gone', async () => {
    const records = join(world.root, 'records.json');
    const good = (id: string) => ({
      id,
      fileName: `${id}.jpg`,
      capturedAt: '2020-02-02T10:00:00',
      albums: [],
      favorite: false,
      hidden: false,
      metadata: {},
      resources: [
        {
          kind: 'original',
          fileName: `${id}.jpg`,
          size: `bytes of ${id}`.length,
          version: '1',
          locator: `bytes of ${id}`,
        },
      ],
    });
    await writeFile(records, JSON.stringify([good('r1'), good('r2'), good('r3')]));
    for (const args of [
      ['plugins', 'add', fixturePlugin('lifeboat-plugin-records-source')],
      ['source', 'add', 'records', 'rec', '--set', `recordsFile=${records}`],
      ['plan', 'add', 'recs', '--source', 'rec', '--destination', 'drive-a'],
      ['run', 'recs'],
    ]) {
      const setup = await world.cli(args, { timeoutMs: 120_000 });
      expect(setup.code, setup.describe()).toBe(0);
    }
    const drive = world.drives[0]!.path;
    const before = await hashTree(drive);

    const { size: _, ...noSize } = good('bad-1').resources[0]!;
    await writeFile(
      records,
      JSON.stringify([good('r1'), { ...good('bad-1'), resources: [noSize] }, good('r2'), good('r3')]),
    );
    const run = await world.cli(['run', 'recs', '--json']);
    expect(run.code, run.describe()).toBe(1);
    const report = run.json<{ failures: Array<{ message: string; hint?: string }>; goneFromSourceTotal: number }>();
    expect(report.failures).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/rec.*invalid asset.*bad-1.*size/),
        hint: expect.stringContaining('source plugin'),
      }),
    ]);
    expect(report.goneFromSourceTotal).toBe(0); // an interrupted listing marks nothing as gone

    await writeFile(records, JSON.stringify([good('r1'), { fileName: 'no-id.jpg', resources: [] }]));
    const noId = await world.cli(['run', 'recs']);
    expectCleanFailure(noId, /invalid asset \(missing id\)/);
    expect(await hashTree(drive)).toEqual(before);
    const verify = await world.cli(['verify', 'recs', '--all']);
    expect(verify.code, verify.describe()).toBe(0);
  });
});
