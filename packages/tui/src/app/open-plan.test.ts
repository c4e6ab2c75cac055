import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { closeCatalog, createContainer } from '../container.js';
import type { Io } from '../output/io.js';
import { resolveStatePaths } from '../state/paths.js';
import { PlanOpener } from './open-plan.js';

let root: string;
let c: DependencyContainer;
const io: Io = { out: () => {}, err: () => {}, json: () => {}, isTTY: false };
const signal = new AbortController().signal;

async function cli(...args: string[]) {
  const code = await runCli(c, io, args);
  if (code !== 0) throw new Error(`lifeboat ${args.join(' ')} exited ${code}`);
}

/** Breaks a configured instance's settings in the config file, as a hand edit would. */
async function breakSettings(kind: 'sources' | 'destinations', name: string, settings: Record<string, unknown>) {
  const file = resolveStatePaths({ LIFEBOAT_HOME: join(root, 'home') }).configFile;
  const config = JSON.parse(await readFile(file, 'utf8'));
  config[kind][name].settings = settings;
  await writeFile(file, JSON.stringify(config));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-open-plan-'));
  c = createContainer({ LIFEBOAT_HOME: join(root, 'home') });
  await mkdir(join(root, 'photos'));
  await cli('source', 'add', 'folder', 'photos', '--set', `path=${join(root, 'photos')}`);
  await cli('destination', 'add', 'disk', 'a', '--set', `path=${join(root, 'a')}`);
  await cli('destination', 'add', 'disk', 'b', '--set', `path=${join(root, 'b')}`);
  await cli('plan', 'add', 'p', '--source', 'photos', '--destination', 'b', '--destination', 'a');
});
afterEach(async () => {
  closeCatalog(c);
  await rm(root, { recursive: true, force: true });
});

describe('PlanOpener', () => {
  it("creates the plan's instances, in the plan's order", async () => {
    const plan = await c.resolve(PlanOpener).open('p', signal);
    expect(plan.sources.map((s) => s.name)).toEqual(['photos']);
    expect(plan.destinations.map((d) => d.name)).toEqual(['b', 'a']);
    expect(typeof plan.destinations[0]!.destination.write).toBe('function');
  });

  it('throws the failure of the first instance in the plan when several cannot be made', async () => {
    await breakSettings('destinations', 'a', { path: 42, extra: true });
    await breakSettings('destinations', 'b', {});
    await expect(c.resolve(PlanOpener).open('p', signal)).rejects.toThrow(
      /destination "b" in the config file: .*missing setting "path"/,
    );
    await breakSettings('destinations', 'b', { path: join(root, 'b') });
    await expect(c.resolve(PlanOpener).open('p', signal)).rejects.toThrow(
      /destination "a" in the config file: .*unknown setting "extra"/,
    );
  });

  it('names a missing instance before creating any', async () => {
    const file = resolveStatePaths({ LIFEBOAT_HOME: join(root, 'home') }).configFile;
    const config = JSON.parse(await readFile(file, 'utf8'));
    delete config.destinations.a;
    await writeFile(file, JSON.stringify(config));
    await expect(c.resolve(PlanOpener).open('p', signal)).rejects.toThrow(
      'Plan "p" uses destination "a", which is not configured',
    );
  });
});
