import { appendFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, lifeboat } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { expectCleanFailure } from './expect.js';

// Issue 16, class 5: a restore from a drive alone broke on a damaged index (a half-written last line gave 0 files,
// a wrongly typed field crashed --since) and on a damaged marker, whose suggested fix failed too.
describe('restore from a drive alone with a damaged index or marker', () => {
  let world: BackupWorld;
  let drive: string;
  let intact: Map<string, string>;
  const bare = () => join(world.root, `bare-home-${Math.random().toString(36).slice(2)}`); // no Lifeboat state
  const indexDir = () => join(drive, '.lifeboat', 'index');
  const segments = async () => (await readdir(indexDir())).filter((n) => n.endsWith('.jsonl')).sort();

  beforeAll(async () => {
    world = await createBackupWorld({ count: 40, seed: 1605 }, ['drive-a']);
    await world.runOk();
    drive = world.drives[0]!.path;
    intact = await hashTree(drive);
  }, 180_000);
  afterAll(() => world?.cleanup());

  /** A fresh copy of the drive, so each case damages its own. */
  async function driveCopy(name: string): Promise<string> {
    const copy = join(world.root, name);
    await cp(drive, copy, { recursive: true });
    return copy;
  }

  it('a half-written last line and a wrongly typed field: the rest is restored, the bad lines named, exit 1', async () => {
    const copy = await driveCopy('damaged-lines');
    const dir = join(copy, '.lifeboat', 'index');
    const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
    const last = join(dir, names.at(-1)!);
    const lines = (await readFile(last, 'utf8')).trimEnd().split('\n');
    expect(lines.length, 'precondition: a segment with several records').toBeGreaterThan(2);
    // The first record gets a capture date of the wrong type (crashed --since before); the last line is cut short.
    const first = JSON.parse(lines[0]!) as { key: string; capturedAt: unknown };
    const typed = { ...first, capturedAt: 20190301 };
    await writeFile(last, `${[JSON.stringify(typed), ...lines.slice(1)].join('\n')}\n`);
    await appendFile(last, lines[1]!.slice(0, 50)); // a power cut while appending
    const to = join(world.root, 'restored-damaged');
    const result = await lifeboat(['restore', '--from', copy, '--to', to, '--since', '1900-01-01'], { home: bare() });
    expectCleanFailure(result, /damaged index line/, new RegExp(`${names.at(-1)} line 1`), /line \d+: not valid JSON/);
    expect(result.stderr, result.describe()).toMatch(/lifeboat index rebuild/);
    const restored = await hashTree(to);
    expect(restored.size, result.describe()).toBe(intact.size - 1);
    expect(restored.has(first.key)).toBe(false);
    for (const [key, sha] of restored) expect(sha, key).toBe(intact.get(key));

    // The suggested fix works from the drive alone, and then everything comes back.
    const rebuild = await lifeboat(['index', 'rebuild', copy], { home: bare() });
    expect(rebuild.code, rebuild.describe()).toBe(0);
    expect(rebuild.stderr).toMatch(/1 indexed from their bytes/);
    const again = await lifeboat(['restore', '--from', copy, '--to', to], { home: bare() });
    expect(again.code, again.describe()).toBe(0);
    expect(await hashTree(to)).toEqual(intact);
    // Nothing thrown away: the damaged segment is kept aside for a person to read.
    const aside = await readdir(join(copy, '.lifeboat', 'damaged'));
    expect(aside.some((n) => n.endsWith(names.at(-1)!))).toBe(true);
  });

  it('the JSON report lists the damaged lines', async () => {
    const copy = await driveCopy('damaged-json');
    const dir = join(copy, '.lifeboat', 'index');
    const name = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()[0]!;
    await appendFile(join(dir, name), '{"v":1,"key":"2019/0');
    const to = join(world.root, 'restored-json');
    const result = await lifeboat(['restore', '--from', copy, '--to', to, '--json'], { home: bare() });
    expect(result.code, result.describe()).toBe(1);
    const report = result.json<{ ok: boolean; filesRestored: number; damagedIndexLines: unknown[] }>();
    expect(report.ok).toBe(false);
    expect(report.filesRestored).toBe(intact.size);
    expect(report.damagedIndexLines).toEqual([
      { segment: `.lifeboat/index/${name}`, line: expect.any(Number), reason: expect.stringMatching(/JSON/) },
    ]);
  });

  it('a damaged marker does not block a restore, and `index rebuild` writes a new one', async () => {
    const copy = await driveCopy('damaged-marker');
    const marker = join(copy, '.lifeboat', 'destination.json');
    await writeFile(marker, '{"format": "lifeboat-destination", "id": ');
    const to = join(world.root, 'restored-marker');
    const result = await lifeboat(['restore', '--from', copy, '--to', to], { home: bare() });
    expect(result.code, result.describe()).toBe(0);
    expect(result.stderr).toMatch(/marker .* not readable/);
    expect(result.stderr).toMatch(/lifeboat index rebuild/);
    expect(await hashTree(to)).toEqual(intact);
    const rebuild = await lifeboat(['index', 'rebuild', copy], { home: bare() });
    expect(rebuild.code, rebuild.describe()).toBe(0);
    expect(rebuild.stderr).toMatch(/marker written anew/);
    expect(JSON.parse(await readFile(marker, 'utf8'))).toMatchObject({ format: 'lifeboat-destination' });
    // A drive with a rebuilt marker can be added (the old hint's fix, re-adding, failed here).
    const home = bare();
    const add = await lifeboat(['destination', 'add', 'disk', 'again', '--set', `path=${copy}`], { home });
    expect(add.code, add.describe()).toBe(0);
  });

  it('an index lost entirely is rebuilt from the files', async () => {
    const copy = await driveCopy('lost-index');
    for (const name of await segments()) await writeFile(join(copy, '.lifeboat', 'index', name), '');
    const rebuild = await lifeboat(['index', 'rebuild', copy, '--json'], { home: bare() });
    expect(rebuild.code, rebuild.describe()).toBe(0);
    expect(rebuild.json()).toMatchObject({ ok: true, files: intact.size, added: intact.size });
    const to = join(world.root, 'restored-lost');
    const again = await lifeboat(['restore', '--from', copy, '--to', to], { home: bare() });
    expect(again.code, again.describe()).toBe(0);
    expect(await hashTree(to)).toEqual(intact);
  });

  it('an empty folder (a drive that is not mounted) is refused, and nothing is written there', async () => {
    const empty = join(world.root, 'mount-point');
    await mkdir(empty);
    const result = await lifeboat(['index', 'rebuild', empty], { home: bare() });
    expectCleanFailure(result, /holds no files and no Lifeboat index/);
    expect(await readdir(empty)).toEqual([]);
  });
});
