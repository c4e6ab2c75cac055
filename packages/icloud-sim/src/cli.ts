/** The command line of `icloud-sim` (main.ts): arguments → simulator options, and the one-line JSON description. */
import { parseArgs } from 'node:util';
import { checkPace, flagName, isProfileName, PACE_KEYS, PROFILES } from './pace.js';
import type { Simulator, SimulatorOptions } from './simulator.js';

export class CliError extends Error {}

const paceFlags = Object.fromEntries(PACE_KEYS.map((key) => [flagName(key), { type: 'string' as const }]));

export const USAGE = `usage: icloud-sim [--assets N] [--seed S] [--port P] [--size-scale X] [--json]
       [--profile instant|apple] [--download-host ADDR]
       ${PACE_KEYS.map((k) => `[--${flagName(k)} N]`).join(' ')}`;

/** Parses the arguments; a CliError says what is wrong. */
export function parseCli(args: string[]): { options: SimulatorOptions; json: boolean; seed: number } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        assets: { type: 'string', default: '10' },
        seed: { type: 'string', default: '1' },
        port: { type: 'string', default: '0' },
        'size-scale': { type: 'string', default: '1' },
        profile: { type: 'string', default: 'instant' },
        'download-host': { type: 'string' },
        json: { type: 'boolean', default: false },
        ...paceFlags,
      },
    }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const profile = values.profile;
  if (!isProfileName(profile)) {
    throw new CliError(`unknown profile ${String(profile)} (known: ${Object.keys(PROFILES).join(', ')})`);
  }
  const numbers: Record<string, number> = {};
  for (const name of ['assets', 'seed', 'port', 'size-scale']) {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < 0) throw new CliError(`--${name} must be a number of at least 0`);
    numbers[name] = n;
  }
  let pace: ReturnType<typeof checkPace>;
  try {
    const given = PACE_KEYS.filter((k) => values[flagName(k)] !== undefined);
    pace = checkPace(Object.fromEntries(given.map((k) => [k, values[flagName(k)]])));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const host = values['download-host'];
  return {
    options: {
      assets: numbers.assets!,
      seed: numbers.seed!,
      port: numbers.port!,
      sizeScale: numbers['size-scale']!,
      profile,
      pace,
      ...(typeof host === 'string' ? { downloadHost: host } : {}),
    },
    json: values.json === true,
    seed: numbers.seed!,
  };
}

/** What `--json` prints: the URLs, the test account and every pace number in force. */
export function describeSimulator(sim: Simulator) {
  return {
    authUrl: sim.authUrl,
    setupUrl: sim.setupUrl,
    appleId: sim.account.appleId,
    password: sim.account.password,
    code: sim.account.code,
    controlUrl: sim.controlUrl,
    downloadBaseUrl: sim.downloadBaseUrl,
    profile: { name: sim.profile, ...sim.pace },
  };
}
