/**
 * Editing and removing from the command line: `source set`, `destination set` (a drive that moved must hold the
 * same backup), `plan set --add-/--remove-source/destination` with the 3-2-1 evaluation, and `remove` refused
 * while a plan uses the thing, with a hint naming a command that works. Removing never deletes copies.
 */
import { cp, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkFiles } from './cli.js';
import { type BackupWorld, createBackupWorld } from './world.js';

const config = (world: BackupWorld) => world.cli(['status', '--json']);

describe('edit and remove on the command line', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 2, seed: 15 }, ['drive-a', 'drive-b', 'drive-c']);
    await world.runOk();
  });
  afterAll(() => world?.cleanup());

  it('points a destination at the drive that moved, and refuses a folder holding another backup or none', async () => {
    const [a, b] = world.drives;
    const moved = join(world.root, 'moved', 'drive-a');
    await mkdir(join(world.root, 'moved'));
    await rename(a!.path, moved);
    // The hint of the missing drive names `destination set`, which works, not `destination add`.
    const missing = await world.cli(['run', 'main']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('lifeboat destination set');
    expect(missing.stderr).not.toContain('lifeboat destination add`');

    const other = await world.cli(['destination', 'set', 'drive-a', '--set', `path=${b!.path}`]);
    expect(other.code, other.describe()).toBe(2);
    expect(other.stderr).toContain('holds another Lifeboat destination ("drive-b"');
    const empty = join(world.root, 'empty');
    await mkdir(empty);
    const none = await world.cli(['destination', 'set', 'drive-a', '--set', `path=${empty}`]);
    expect(none.code, none.describe()).toBe(2);
    expect(none.stderr).toContain('holds no Lifeboat backup');

    const set = await world.cli(['destination', 'set', 'drive-a', '--set', `path=${moved}`]);
    expect(set.code, set.describe()).toBe(0);
    expect(set.stdout).toContain(`Destination "drive-a": path="${moved}"`);
    expect((await world.cli(['run', 'main'])).code).toBe(0);
    world.drives[0] = { name: 'drive-a', path: moved };
  });

  it('refuses a copy of another destination even when its own old location is still readable', async () => {
    const [, b, c] = world.drives;
    const copyOfB = join(world.root, 'copy-of-b');
    await cp(b!.path, copyOfB, { recursive: true });
    const refused = await world.cli(['destination', 'set', 'drive-c', '--set', `path=${copyOfB}`]);
    expect(refused.code, refused.describe()).toBe(2);
    expect(refused.stderr).toMatch(/holds another Lifeboat destination \("drive-b", id \S+\), not "drive-c" \(id /);
    expect(refused.stderr).toContain(
      'lifeboat plan set <plan> --add-destination <new-name> --remove-destination drive-c',
    );
    expect(c).toBeDefined();
  });

  it('changes a source setting, refusing a secret given with --set and a folder that is not there', async () => {
    const bad = await world.cli(['source', 'set', 'photos', '--set', `path=${join(world.root, 'nowhere')}`]);
    expect(bad.code).not.toBe(0);
    const ok = await world.cli(['source', 'set', 'photos', '--set', 'followSymlinks=true']);
    expect(ok.code, ok.describe()).toBe(0);
    expect(ok.stdout).toContain('Source "photos": followSymlinks=true.');
    const unknownSecret = await world.cli(['source', 'set', 'photos', '--secret', 'password']);
    expect(unknownSecret.code).toBe(2);
    expect(unknownSecret.stderr).toContain('has no secret named "password"');
  });

  it('refuses to remove a destination a plan uses, naming the command to run first; then removes it keeping its files', async () => {
    const c = world.drives[2]!;
    const filesBefore = await walkFiles(c.path);
    expect(filesBefore.length).toBeGreaterThan(0);
    const refused = await world.cli(['destination', 'remove', 'drive-c']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('destination "drive-c" is used by plan main');
    expect(refused.stderr).toContain('`lifeboat plan set main --remove-destination drive-c`');

    const planSet = await world.cli(['plan', 'set', 'main', '--remove-destination', 'drive-c']);
    expect(planSet.code, planSet.describe()).toBe(0);
    expect(planSet.stdout).toContain('destination drive-c removed (its copies are kept)');
    expect(planSet.stdout).toMatch(/^3-2-1: (met|not met \(missing: .+\))$/m);
    expect(planSet.stdout).toContain('copies');

    const removed = await world.cli(['destination', 'remove', 'drive-c']);
    expect(removed.code, removed.describe()).toBe(0);
    expect(await walkFiles(c.path)).toEqual(filesBefore);
    const status = (await config(world)).json<{ plans: { name: string }[] }>();
    expect(status.plans.map((p) => p.name)).toEqual(['main']);
  });

  it('adds a destination to a plan, refuses an unknown one and emptying a plan, and names plan remove for a last source', async () => {
    const unknown = await world.cli(['plan', 'set', 'main', '--add-destination', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No destination named "nope"');
    const emptied = await world.cli(['plan', 'set', 'main', '--remove-source', 'photos']);
    expect(emptied.code).toBe(2);
    expect(emptied.stderr).toContain('A plan needs at least one source');
    const lastSource = await world.cli(['source', 'remove', 'photos']);
    expect(lastSource.code).toBe(2);
    expect(lastSource.stderr).toContain('`lifeboat plan remove main`');

    const again = await world.cli(['plan', 'set', 'main', '--remove-destination', 'drive-b']);
    expect(again.code, again.describe()).toBe(0);
    expect(again.stdout).toMatch(/^3-2-1: not met/m);
    const back = await world.cli(['plan', 'set', 'main', '--add-destination', 'drive-b']);
    expect(back.code, back.describe()).toBe(0);
    expect(back.stdout).toContain('destination drive-b added');

    const planRemoved = await world.cli(['plan', 'remove', 'main']);
    expect(planRemoved.code, planRemoved.describe()).toBe(0);
    const sourceRemoved = await world.cli(['source', 'remove', 'photos']);
    expect(sourceRemoved.code, sourceRemoved.describe()).toBe(0);
    expect((await walkFiles(world.source)).length).toBe(world.manifest.length);
  });
});
