import { join } from 'node:path';
import { expect } from 'vitest';
import type { IcloudWorld } from './icloud-world.js';

/**
 * What offload needs before anything may move: the world's plan `main` (two drives, two media) plus an offsite
 * drive `vault` in a plan `offsite`, both backed up and read back (verified). `extra` CLI commands run after the
 * set-up and before the first run (a notify command, say). Returns the vault's path.
 */
export async function backUpWithOffsiteVault(world: IcloudWorld, extra: string[][] = []): Promise<string> {
  const vault = join(world.root, 'vault');
  const setUp = [
    [
      'destination',
      'add',
      'disk',
      'vault',
      '--set',
      `path=${vault}`,
      '--set',
      'medium=vault-drive',
      '--set',
      'offsite=true',
    ],
    ['plan', 'add', 'offsite', '--source', world.source, '--destination', 'vault'],
    ...extra,
  ];
  for (const args of setUp) await ok(world, args);
  await world.runOk();
  for (const args of [
    ['run', 'offsite'],
    ['verify', 'main'],
    ['verify', 'offsite'],
  ])
    await ok(world, args);
  return vault;
}

async function ok(world: IcloudWorld, args: string[]): Promise<void> {
  const r = await world.cli(args);
  expect(r.code, r.describe()).toBe(0);
}
