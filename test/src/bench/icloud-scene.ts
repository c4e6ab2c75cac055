/** A LIFEBOAT_HOME for the iCloud benchmarks: the simulator as source `ic`, disk drives, maybe S3, plan `main`. */
import { join } from 'node:path';
import type { Simulator } from '@lifeboat/icloud-sim';
import { type CliOptions, lifeboatOk } from '../e2e/cli.js';
import { addIcloudSource } from '../e2e/icloud/icloud-world.js';
import type { FauxqsProcess } from './fauxqs-process.js';
import { BENCH_ENV } from './measure.js';

export interface SceneOptions {
  drives: number;
  /** An S3 destination `cloud` in this bucket (created here) on this server. */
  s3?: { server: FauxqsProcess; bucket: string };
}

/** Adds the destinations, the source and the plan, and signs in (SRP + 2FA code), all through the CLI. */
export async function icloudScene(sim: Simulator, root: string, options: SceneOptions): Promise<CliOptions> {
  const cli: CliOptions = { home: join(root, 'home'), env: BENCH_ENV };
  const destinations: string[] = [];
  for (let i = 0; i < options.drives; i++) {
    const name = `drive-${String.fromCharCode(97 + i)}`;
    await lifeboatOk(['destination', 'add', 'disk', name, '--set', `path=${join(root, name)}`], cli);
    destinations.push(name);
  }
  if (options.s3) {
    await options.s3.server.createBucket(options.s3.bucket);
    await lifeboatOk(['destination', 'add', 's3', 'cloud', ...options.s3.server.destinationArgs(options.s3.bucket)], {
      ...cli,
      input: options.s3.server.secretsInput,
    });
    destinations.push('cloud');
  }
  await addIcloudSource(sim, 'ic', { home: cli.home, env: BENCH_ENV });
  await lifeboatOk(
    ['plan', 'add', 'main', '--source', 'ic', ...destinations.flatMap((d) => ['--destination', d])],
    cli,
  );
  await lifeboatOk(['login', 'ic', '--password-stdin', '--code', sim.account.code], {
    ...cli,
    input: `${sim.account.password}\n`,
  });
  return cli;
}

export const totalRequests = (sim: Simulator) =>
  Object.values(sim.counters.snapshot().requests).reduce((a, b) => a + b, 0);
