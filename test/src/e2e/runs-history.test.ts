/**
 * `lifeboat runs` and `runs show <id>`: the history of runs and, for one run, each file it copied, how many were
 * already there, and what failed.
 */
import { rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../fixtures/photo-folder.js';
import { type BackupWorld, createBackupWorld } from './world.js';

interface RunItem {
  id: number;
  plan: string;
  state: string;
  filesCopied: number;
  failures: number;
}
interface RunDetail extends RunItem {
  destinations: { name: string; copied: { key: string }[]; skipped?: number; error?: { code: string } }[];
  failed: { destination?: string; code: string }[];
}

describe('run history', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 3, seed: 21 }, ['drive-a']);
  });
  afterAll(() => world?.cleanup());

  it('says there are no runs yet', async () => {
    const none = await world.cli(['runs']);
    expect(none.code, none.describe()).toBe(0);
    expect(none.stdout).toContain('No runs yet');
  });

  it('lists each run and shows what one copied per file, what was already there, and what failed', async () => {
    await world.runOk();
    const added = await addPhotos(world.source, 2, 77);
    await world.runOk();
    const drive = world.drives[0]!;
    await rename(drive.path, `${drive.path}.away`);
    expect((await world.cli(['run', 'main'])).code).toBe(1);
    await rename(`${drive.path}.away`, drive.path);

    const list = (await world.cli(['runs', '--plan', 'main', '--json'])).json<RunItem[]>();
    expect(list.map((r) => [r.state, r.filesCopied, r.failures])).toEqual([
      ['failed', 0, 1],
      ['ok', 2, 0],
      ['ok', 3, 0],
    ]);
    const text = await world.cli(['runs']);
    expect(text.stdout).toMatch(/^ID\s+PLAN\s+STARTED\s+STATE/m);
    expect(text.stdout).toMatch(
      new RegExp(`^${list[1]!.id}\\s+main\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+\\s+ok\\s+2\\s`, 'm'),
    );

    const second = (await world.cli(['runs', 'show', String(list[1]!.id), '--json'])).json<RunDetail>();
    const onA = second.destinations.find((d) => d.name === 'drive-a')!;
    expect(onA.copied).toHaveLength(2);
    expect(onA.skipped).toBe(3);
    expect(added).toHaveLength(2);
    const shown = await world.cli(['runs', 'show', String(list[1]!.id)]);
    for (const c of onA.copied) expect(shown.stdout).toContain(`  copied ${c.key} (`);
    expect(shown.stdout).toContain('drive-a: 2 files copied');
    expect(shown.stdout).toContain('3 files already there');

    const failed = (await world.cli(['runs', 'show', String(list[0]!.id), '--json'])).json<RunDetail>();
    expect(failed.destinations[0]!.error?.code).toBe('LIFEBOAT_DEST_UNAVAILABLE');
    expect(failed.failed).toEqual([
      expect.objectContaining({ destination: 'drive-a', code: 'LIFEBOAT_DEST_UNAVAILABLE' }),
    ]);
    const failedText = await world.cli(['runs', 'show', String(list[0]!.id)]);
    expect(failedText.stdout).toMatch(/^Run \d+ of plan main: failed; started /m);
    expect(failedText.stdout).toContain('drive-a: FAILED: ');

    const unknown = await world.cli(['runs', 'show', '9999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No run with id 9999');
    expect((await world.cli(['runs', 'show', 'x'])).stderr).toContain('"x" is not a run id');
  });
});
