import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../../fixtures/photo-folder.js';
import { hashTree, lifeboat } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 6: verify and repair trusted a drive whose own index lacked copies the catalog has (the index
// folder was unwritable during a run), so a restore from that drive alone would silently miss them.
// As root, the CLI runs without the capabilities that ignore permissions (setpriv), as an ordinary user would.
const AS_USER = ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'];

interface VerifyReport {
  ok: boolean;
  destinations: Array<{ destination: string; problems: Array<{ kind: string; key: string }> }>;
}

describe('a destination whose own index lacks copies the catalog records', () => {
  let world: BackupWorld;
  let indexDir: string;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 10, seed: 1606 }, ['drive-a']);
    await world.runOk();
    indexDir = join(world.drives[0]!.path, '.lifeboat', 'index');
    // The index folder cannot be written during the next run: the copies land, their index records do not.
    await addPhotos(world.source, 4, 1606);
    await chmod(indexDir, 0o555);
    await world.cli(['run', 'main'], { wrapper: AS_USER });
    await chmod(indexDir, 0o755);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('verify reports each copy the index lacks, and exits 1', async () => {
    expect((await hashTree(world.drives[0]!.path)).size, 'precondition: the 4 new copies landed').toBe(14);
    const result = await world.cli(['verify', 'drive-a', '--json']);
    expect(result.code, result.describe()).toBe(1);
    const unindexed = result.json<VerifyReport>().destinations[0]!.problems.filter((p) => p.kind === 'unindexed');
    expect(unindexed).toHaveLength(4);
  });

  it('repair writes them into the index; then verify is clean and a restore from the drive alone gets all', async () => {
    const repair = await world.cli(['repair', 'drive-a']);
    expect(repair.code, repair.describe()).toBe(0);
    const verify = await world.cli(['verify', 'drive-a']);
    expect(verify.code, verify.describe()).toBe(0);
    const to = join(world.root, 'restored');
    const restore = await lifeboat(['restore', '--from', world.drives[0]!.path, '--to', to], {
      home: join(world.root, 'bare'),
    });
    expect(restore.code, restore.describe()).toBe(0);
    expect((await hashTree(to)).size).toBe(14);
  });
});
