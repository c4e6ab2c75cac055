#!/usr/bin/env node
/**
 * Runs the simulated iCloud by hand: icloud-sim (npm run simulator --) [--assets N] [--seed S] [--port P] [--json]
 *   [--profile instant|apple] [--<setting> N ...] (every pace setting, e.g. --max-concurrent-downloads 4)
 * Prints the auth and setup URLs, the test account, the control URL and the pace numbers in force (one JSON line
 * with --json), then serves until SIGINT/SIGTERM.
 */
import { CliError, describeSimulator, parseCli } from './cli.js';
import { PACE_KEYS } from './pace.js';
import { startSimulator } from './simulator.js';

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`icloud-sim: ${error.message}\n`);
  process.exit(2);
}

const sim = await startSimulator(cli.options);

if (cli.json) {
  process.stdout.write(`${JSON.stringify(describeSimulator(sim))}\n`);
} else {
  process.stdout.write(
    [
      `Simulated iCloud: ${sim.library.size} assets (seed ${cli.seed}), profile ${sim.profile}`,
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
