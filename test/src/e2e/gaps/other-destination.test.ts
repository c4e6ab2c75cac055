import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../../fixtures/photo-folder.js';
import { hashTree, lifeboatOk } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { expectCleanFailure } from './expect.js';

// Issue 16, class 2: another Lifeboat backup mounted where a configured destination lives (another drive at the
// same mount point) was taken for it, written to, and reported healthy.
describe('a different Lifeboat destination at the configured path', () => {
  let world: BackupWorld;
  let driveA: string;
  let impostor: Map<string, string>;
  const stashed = () => join(world.root, 'drive-a-unplugged');

  beforeAll(async () => {
    world = await createBackupWorld({ count: 12, seed: 1602 });
    await world.runOk();
    driveA = world.drives[0]!.path;
    // The real drive-a is unplugged; another Lifeboat backup (made by another setup) is mounted at its path.
    await rename(driveA, stashed());
    const otherHome = join(world.root, 'other-home');
    const otherSource = join(world.root, 'other-photos');
    await addPhotos(otherSource, 3, 77);
    await lifeboatOk(['source', 'add', 'folder', 'p', '--set', `path=${otherSource}`], { home: otherHome });
    await lifeboatOk(['destination', 'add', 'disk', 'other', '--set', `path=${driveA}`], { home: otherHome });
    await lifeboatOk(['plan', 'add', 'x', '--source', 'p', '--destination', 'other'], { home: otherHome });
    await lifeboatOk(['run', 'x'], { home: otherHome });
    await addPhotos(world.source, 4, 1602); // work the next run must not put on the impostor
    impostor = await hashTree(driveA, { includeMeta: true, includeSidecars: true });
  }, 180_000);
  afterAll(() => world?.cleanup());

  const untouched = async () => expect(await hashTree(driveA, { includeMeta: true, includeSidecars: true })).toEqual(impostor);

  it('run refuses it naming the destination, writes nothing there, and still backs up to the others', async () => {
    const result = await world.cli(['run', 'main', '--json']);
    expect(result.code, result.describe()).toBe(1);
    const report = result.json<{ failures: Array<{ code: string; destination?: string; message: string }> }>();
    expect(report.failures).toContainEqual(
      expect.objectContaining({ code: 'LIFEBOAT_DEST_MISMATCH', destination: 'drive-a' }),
    );
    expect(report.failures.find((f) => f.destination === 'drive-a')!.message).toMatch(/different Lifeboat backup/);
    await untouched();
    expect((await hashTree(world.drives[1]!.path)).size).toBe(16);
  });

  it('status/check, verify, repair and restore refuse it too, and nothing is written', async () => {
    const check = await world.cli(['check', '--max-age', '1000d']);
    expect(check.code, check.describe()).toBe(1);
    expect(`${check.stdout}${check.stderr}`).toMatch(/drive-a.*different Lifeboat backup/);
    const verify = await world.cli(['verify', 'drive-a']);
    expect(verify.code, verify.describe()).not.toBe(0);
    expect(`${verify.stdout}${verify.stderr}`).toMatch(/different Lifeboat backup/);
    const repair = await world.cli(['repair', 'drive-a']);
    expect(repair.code, repair.describe()).not.toBe(0);
    const restore = await world.cli(['restore', '--from', 'drive-a', '--to', join(world.root, 'r')]);
    expectCleanFailure(restore, /different Lifeboat backup/, /lifeboat destination adopt drive-a/);
    await untouched();
  });

  it('with the right drive back, runs go on; `destination adopt` accepts a replacement on purpose', async () => {
    await rename(driveA, join(world.root, 'other-drive'));
    await rename(stashed(), driveA);
    const back = await world.cli(['run', 'main']);
    expect(back.code, back.describe()).toBe(0);
    await rename(driveA, stashed());
    await rename(join(world.root, 'other-drive'), driveA);
    const adopt = await world.cli(['destination', 'adopt', 'drive-a']);
    expect(adopt.code, adopt.describe()).toBe(0);
    const run = await world.cli(['run', 'main']);
    expect(run.code, run.describe()).toBe(0);
  });

  it('a destination added before ids were recorded takes its id on first use, then refuses another', async () => {
    const config = join(world.home, 'config.json');
    const parsed = JSON.parse(await readFile(config, 'utf8'));
    delete parsed.destinations['drive-b'].markerId;
    await writeFile(config, JSON.stringify(parsed));
    const first = await world.cli(['run', 'main']);
    expect(first.code, first.describe()).toBe(0);
    expect(JSON.parse(await readFile(config, 'utf8')).destinations['drive-b'].markerId).toEqual(expect.any(String));
    // drive-a's folder (the adopted backup) is now mounted where drive-b should be.
    const driveB = world.drives[1]!.path;
    await rename(driveB, join(world.root, 'drive-b-away'));
    await rename(driveA, driveB);
    const run = await world.cli(['run', 'main']);
    expect(run.code, run.describe()).toBe(1);
    expect(run.stderr).toMatch(/drive-b.*different Lifeboat backup/);
  });
});
