import { existsSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { expectCleanFailure } from './expect.js';

// Issue 16, class 15: a damaged catalog page gave a raw SQLite error and no way out.
const PAGE = 4096;

/** Writes garbage over pages of the catalog file, as a bad sector or a torn write would. */
async function damage(file: string, fromPage: number, pages: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.write(Buffer.alloc(PAGE * pages, 0xa5), 0, PAGE * pages, PAGE * fromPage);
  } finally {
    await fh.close();
  }
}

interface Report {
  ok: boolean;
  filesCopied: number;
}

describe('a damaged catalog', () => {
  let world: BackupWorld;
  let catalog: string;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 30, seed: 1615 });
    await world.runOk();
    catalog = join(world.home, 'catalog.sqlite');
  }, 180_000);
  afterAll(() => world?.cleanup());

  it.each([
    ['a damaged page inside it', 1, 8],
    ['garbage over its header', 0, 1],
  ])(
    '(%s) is reported in words with the fix; `catalog rebuild` restores it from the destinations',
    async (_, from, pages) => {
      expect((await stat(catalog)).size, 'precondition: the catalog spans the damaged pages').toBeGreaterThan(
        PAGE * (from + pages),
      );
      await damage(catalog, from, pages);
      for (const args of [['status'], ['run', 'main']]) {
        const result = await world.cli(args);
        expectCleanFailure(
          result,
          /catalog .* is damaged/,
          /lifeboat catalog rebuild/,
          /backups on the destinations are not affected/,
        );
      }
      const rebuild = await world.cli(['catalog', 'rebuild', '--json']);
      expect(rebuild.code, rebuild.describe()).toBe(0);
      expect(rebuild.json()).toMatchObject({
        ok: true,
        destinations: [
          { destination: 'drive-a', copies: 30 },
          { destination: 'drive-b', copies: 30 },
        ],
      });
      const aside = (await readdir(world.home)).filter((n) => n.startsWith('catalog.sqlite.damaged-'));
      expect(aside.length, 'the damaged file is kept aside').toBeGreaterThan(0);
      const run = await world.cli(['run', 'main', '--json']);
      expect(run.code, run.describe()).toBe(0);
      expect(run.json<Report>().filesCopied, 'nothing copied twice after the rebuild').toBe(0);
      expect(existsSync(catalog)).toBe(true);
    },
  );
});
