#!/usr/bin/env node
/**
 * Runs the simulated iCloud by hand: icloud-sim (npm run simulator --) [--assets N] [--seed S] [--port P] [--json]
 *   [--profile instant|apple] [--<setting> N ...] (every pace setting, e.g. --max-concurrent-downloads 4)
 * Prints the auth and setup URLs, the test account, the control URL and the pace numbers in force (one JSON line
 * with --json), then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { checkPace, flagName, isProfileName, PACE_KEYS, PROFILES } from './pace.js';
import { startSimulator } from './simulator.js';

const paceFlags = Object.fromEntries(PACE_KEYS.map((key) => [flagName(key), { type: 'string' as const }]));

function fail(message: string): never {
  process.stderr.write(`icloud-sim: ${message}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
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
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(`${(error as Error).message}\n(settings: ${PACE_KEYS.map((k) => `--${flagName(k)}`).join(' ')})`);
}
const values = parsed.values as Record<string, string | boolean | undefined>;
const profile = values.profile;
if (!isProfileName(profile)) fail(`unknown profile ${String(profile)} (known: ${Object.keys(PROFILES).join(', ')})`);
let overrides: ReturnType<typeof checkPace>;
try {
  overrides = checkPace(
    Object.fromEntries(PACE_KEYS.filter((k) => values[flagName(k)] !== undefined).map((k) => [k, values[flagName(k)]])),
  );
} catch (error) {
  fail((error as Error).message);
}

const sim = await startSimulator({
  assets: Number(values.assets),
  seed: Number(values.seed),
  port: Number(values.port),
  sizeScale: Number(values['size-scale']),
  profile,
  pace: overrides,
  ...(typeof values['download-host'] === 'string' ? { downloadHost: values['download-host'] } : {}),
});

if (values.json) {
  process.stdout.write(
    `${JSON.stringify({
      authUrl: sim.authUrl,
      setupUrl: sim.setupUrl,
      appleId: sim.account.appleId,
      password: sim.account.password,
      code: sim.account.code,
      controlUrl: sim.controlUrl,
      downloadBaseUrl: sim.downloadBaseUrl,
      profile: { name: sim.profile, ...sim.pace },
    })}\n`,
  );
} else {
  process.stdout.write(
    [
      `Simulated iCloud: ${sim.library.size} assets (seed ${String(values.seed)}), profile ${sim.profile}`,
      `  authUrl     ${sim.authUrl}`,
      `  setupUrl    ${sim.setupUrl}`,
      `  downloads   ${sim.downloadBaseUrl}`,
      `  Apple ID    ${sim.account.appleId}`,
      `  password    ${sim.account.password}`,
      `  2FA code    ${sim.account.code}`,
      `  controlUrl  ${sim.controlUrl}`,
      `  pace        ${PACE_KEYS.map((k) => `${k}=${sim.pace[k]}`).join(' ')}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

const shutdown = () => {
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
