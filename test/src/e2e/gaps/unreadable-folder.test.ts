import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, multisetDiff } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 13: one unreadable sub-folder made the whole folder source fail (0 files backed up).
// Tests run as root, who reads any folder: the CLI runs without the capabilities that let root ignore
// permissions (setpriv), as an ordinary user would.
const AS_USER = ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'];

interface Report {
  ok: boolean;
  filesCopied: number;
  failures: Array<{ code: string; source?: string; message: string; hint?: string }>;
  goneFromSource: number;
}

describe('an unreadable sub-folder of a folder source', () => {
  let world: BackupWorld;
  let locked: string;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 20, seed: 1613 }, ['drive-a']);
    locked = join(world.source, 'Private');
    await mkdir(locked);
    await writeFile(join(locked, 'IMG_9999.JPG'), 'a photo nobody may read');
    await chmod(locked, 0o000);
  }, 180_000);
  afterAll(async () => {
    await chmod(locked, 0o755).catch(() => {});
    await world?.cleanup();
  });

  it('is reported by name with a non-zero exit, and everything else is backed up', async () => {
    const result = await world.cli(['run', 'main', '--json'], { wrapper: AS_USER });
    expect(result.code, result.describe()).toBe(1);
    const report = result.json<Report>();
    expect(report.filesCopied).toBe(20);
    const failure = report.failures.find((f) => f.code === 'LIFEBOAT_SOURCE_PARTIAL');
    expect(failure, result.describe()).toBeDefined();
    expect(failure!.message).toContain(locked);
    expect(failure!.message).toMatch(/permission denied/);
    expect(failure!.hint).toMatch(/permission/);
    const tree = await hashTree(world.drives[0]!.path);
    expect(
      multisetDiff(
        world.manifest.map((e) => e.sha256),
        tree.values(),
      ),
    ).toEqual({ missing: [], extra: [] });
  });

  it('the text output names the folder too', async () => {
    const result = await world.cli(['run', 'main'], { wrapper: AS_USER });
    expect(result.code, result.describe()).toBe(1);
    expect(result.stderr).toContain(locked);
  });

  it('nothing is taken for deleted while the folder is unreadable, and it is backed up once readable', async () => {
    await chmod(locked, 0o755);
    const ok = await world.cli(['run', 'main', '--json'], { wrapper: AS_USER });
    expect(ok.code, ok.describe()).toBe(0);
    expect(ok.json<Report>().filesCopied).toBe(1);
    await chmod(locked, 0o000);
    const again = await world.cli(['run', 'main', '--json'], { wrapper: AS_USER });
    expect(again.code, again.describe()).toBe(1);
    expect(again.json<Report & { goneFromSourceTotal: number }>()).toMatchObject({
      goneFromSource: 0,
      goneFromSourceTotal: 0,
    });
  });
});
