/**
 * The scene of the pick suites: the simulated iCloud in this process and an empty LIFEBOAT_HOME holding one iCloud
 * source, signed in, and nothing else (no destination, no plan): the person who just wants some photos back.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Simulator, SimulatorOptions } from '@lifeboat/icloud-sim';
import { startSimulator } from '@lifeboat/icloud-sim';
import { assertCliBuilt, type CliResult, lifeboat, makeTempDir, removeDir } from '../cli.js';
import { addIcloudSource, secretsEnv } from '../icloud/icloud-world.js';

export interface PickWorld {
  sim: Simulator;
  root: string;
  home: string;
  env: Record<string, string>;
  source: string;
  cli(args: string[]): Promise<CliResult>;
  cleanup(): Promise<void>;
}

export async function createPickWorld(options: SimulatorOptions): Promise<PickWorld> {
  assertCliBuilt();
  const sim = await startSimulator(options);
  const root = await makeTempDir('lifeboat-pick-e2e-');
  const home = join(root, 'home');
  const env = secretsEnv();
  const source = `ic-${randomBytes(4).toString('hex')}`;
  const cli = (args: string[]) => lifeboat(args, { home, env });
  try {
    await addIcloudSource(sim, source, { home, env });
    const login = await lifeboat(['login', source, '--password-stdin', '--code', sim.account.code], {
      home,
      env,
      input: `${sim.account.password}\n`,
    });
    if (login.code !== 0) throw new Error(`login failed:\n${login.describe()}`);
  } catch (error) {
    await sim.stop();
    await removeDir(root);
    throw error;
  }
  return {
    sim,
    root,
    home,
    env,
    source,
    cli,
    async cleanup() {
      await sim.stop();
      if (!process.env.LIFEBOAT_KEEP_E2E) await removeDir(root);
    },
  };
}

/** What `restore --from <source> --json` reports. */
export type { PickSummary as PickReport } from '@lifeboat/core';
export { listedStates as listed } from '../icloud/icloud-world.js';
