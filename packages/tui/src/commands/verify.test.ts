import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Lazy, TOKENS } from '../app/tokens.js';
import { VerifyService } from '../app/verify.js';
import { runCli } from '../cli.js';
import { closeCatalog, createContainer } from '../container.js';
import type { Io } from '../output/io.js';
import { scrubPlan } from './verify.js';

// scrubPlan is what the schedules daemon calls for a plan's scheduled scrub: real container, real disk plugin.

let root: string;
let c: DependencyContainer;
let lines: string[];
const io: Io = {
  out: (t) => lines.push(t),
  err: (t) => lines.push(t),
  json: (v) => lines.push(JSON.stringify(v)),
  isTTY: false,
};

async function cli(...args: string[]) {
  const code = await runCli(c, io, args);
  if (code !== 0) throw new Error(`lifeboat ${args.join(' ')} exited ${code}:\n${lines.join('\n')}`);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-scrub-'));
  lines = [];
  c = createContainer({ LIFEBOAT_HOME: join(root, 'home') });
  const photos = join(root, 'photos');
  await cli('destination', 'add', 'disk', 'a', '--set', `path=${join(root, 'a')}`);
  await cli('destination', 'add', 'disk', 'b', '--set', `path=${join(root, 'b')}`);
  await mkdir(photos);
  for (let i = 0; i < 10; i++) await writeFile(join(photos, `IMG_${i}.jpg`), `photo number ${i}`.repeat(50 + i));
  await cli('source', 'add', 'folder', 'photos', '--set', `path=${photos}`);
  await cli('plan', 'add', 'p', '--source', 'photos', '--destination', 'a', '--destination', 'b');
  await cli('run', 'p'); // exit 0 although 3-2-1 is not met (one drive): that is advice, not a failure
});
afterEach(async () => {
  closeCatalog(c);
  await rm(root, { recursive: true, force: true });
});

const verifiedAt = (destination: string) =>
  [...c.resolve<Lazy<Catalog>>(TOKENS.catalog)().copiesOn(destination)].map((x) => x.verifiedAt);

describe('scrubPlan', () => {
  it('reads back the given share of every destination of the plan, least recently verified first', async () => {
    const before = verifiedAt('a');
    lines = [];
    expect(await scrubPlan(c.resolve(VerifyService), io, 'p', 30, new AbortController().signal)).toEqual({ ok: true });
    expect(lines[0]).toBe('Scrub of plan p (30%): healthy.');
    expect(lines.join('\n')).toMatch(/a: healthy: 10 copies .*3 of 3 read back matched/);
    expect(lines.join('\n')).toMatch(/b: healthy: 10 copies .*3 of 3 read back matched/);
    expect(verifiedAt('a').filter((t, i) => t !== before[i])).toHaveLength(3);
  });

  it('reports damage it finds, with what to do', async () => {
    const dir = join(root, 'b');
    const year = (await readdir(dir)).find((d) => /^\d{4}$/.test(d))!;
    const month = (await readdir(join(dir, year)))[0]!;
    const file = join(dir, year, month, (await readdir(join(dir, year, month)))[0]!);
    await writeFile(file, `${await readFile(file, 'utf8')}!`);
    lines = [];
    expect(await scrubPlan(c.resolve(VerifyService), io, 'p', 100, new AbortController().signal)).toEqual({
      ok: false,
    });
    const text = lines.join('\n');
    expect(text).toContain('Scrub of plan p (100%): problems found.');
    expect(text).toMatch(/b: 1 PROBLEM: .*\n.*damaged: .*is damaged/);
    expect(text).toContain('run `lifeboat repair p`');
  });

  it('refuses an unknown plan', async () => {
    await expect(
      scrubPlan(c.resolve(VerifyService), io, 'nope', 5, new AbortController().signal),
    ).rejects.toMatchObject({
      code: 'LIFEBOAT_CONFIG',
    });
  });
});
