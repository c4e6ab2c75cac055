#!/usr/bin/env node
/**
 * Runs the simulated iCloud by hand: icloud-sim (npm run simulator --) [--assets N] [--seed S] [--port P] [--json]
 * Prints the auth and setup URLs, the test account and the control URL (one JSON line with --json), then serves
 * until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    port: { type: 'string', default: '0' },
    'size-scale': { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});

const sim = await startSimulator({
  assets: Number(values.assets),
  seed: Number(values.seed),
  port: Number(values.port),
  sizeScale: Number(values['size-scale']),
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
    })}\n`,
  );
} else {
  process.stdout.write(
    [
      `Simulated iCloud: ${sim.library.size} assets (seed ${values.seed})`,
      `  authUrl     ${sim.authUrl}`,
      `  setupUrl    ${sim.setupUrl}`,
      `  Apple ID    ${sim.account.appleId}`,
      `  password    ${sim.account.password}`,
      `  2FA code    ${sim.account.code}`,
      `  controlUrl  ${sim.controlUrl}`,
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
