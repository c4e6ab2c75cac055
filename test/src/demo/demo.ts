/**
 * `npm run demo`: a two-minute tour of Lifeboat with the real CLI. Starts the simulated iCloud in this process
 * with a generated 60-photo library (Live Photos, RAW+JPEG, videos, edits, awkward names), signs in with SRP and
 * the 2FA code, backs the library up to two folders standing in for drives, deletes and adds photos in iCloud,
 * backs up again (only the changes), and shows where everything landed and that the deleted photos were kept.
 * Secrets go to the encrypted vault file (a fresh machine has no keychain running). Starts fresh every time.
 */
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { assertCliBuilt, cliPath, repoRoot } from '../e2e/cli.js';
import { addIcloudSource } from '../e2e/icloud/icloud-world.js';
import { nextSteps } from './next-steps.js';

const base = join(repoRoot, 'demo-backup');
const home = join(base, 'home');
const cliEnv = { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'demo' };
const driveA = join(base, 'drive-a');
const driveB = join(base, 'drive-b');
const show = (path: string) => `./${relative(repoRoot, path)}`;

/**
 * Runs the CLI with the user watching (stdout/stderr inherited); stops the demo on the first failure. Async, not
 * spawnSync: the simulated iCloud answers from this very process. `input` goes to stdin (the password).
 */
function lifeboat(args: string[], input = '', shownPrefix = ''): Promise<void> {
  const shown = args.map((arg) => arg.replaceAll(repoRoot, './').replaceAll('.//', './'));
  console.log(`\n$ ${shownPrefix}lifeboat ${shown.join(' ')}`);
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, ...cliEnv, LIFEBOAT_HOME: home },
  });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`lifeboat ${args.join(' ')} failed (exit ${code ?? signal})`)),
    );
  });
}

/** One line per year folder of a drive: how many month folders and files it holds. */
async function yearSummary(drive: string): Promise<string[]> {
  const lines: string[] = [];
  for (const year of (await readdir(drive, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!year.isDirectory() || year.name.startsWith('.')) continue;
    const months = await readdir(join(drive, year.name));
    let files = 0;
    for (const month of months) files += (await readdir(join(drive, year.name, month))).length;
    lines.push(`${year.name}/  ${months.length} month folders, ${files} files`);
  }
  return lines;
}

async function main(): Promise<void> {
  assertCliBuilt();
  await rm(base, { recursive: true, force: true });
  console.log('Starting a simulated iCloud on loopback with a generated library of 60 photos ...');
  const sim: Simulator = await startSimulator({ assets: 60, seed: 2024, sharedAssets: 0 });
  try {
    await tour(sim);
  } finally {
    await sim.stop();
  }
}

async function tour(sim: Simulator): Promise<void> {
  const kinds = new Map<string, number>();
  for (let i = 0; i < sim.library.size; i++) {
    const kind = sim.library.state(i).spec.kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  console.log(`  ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  console.log(`  Apple ID ${sim.account.appleId}, 2FA code ${sim.account.code}; it speaks Apple's web protocol at`);
  console.log(`  ${sim.authUrl} and ${sim.setupUrl}`);
  console.log(`Lifeboat keeps its configuration and catalog in LIFEBOAT_HOME=${show(home)}`);
  console.log(
    'Secrets (the iCloud session and 2FA trust token) go to the encrypted vault file: a fresh machine has no\n' +
      'keychain running, so this demo sets LIFEBOAT_SECRETS=vault LIFEBOAT_VAULT_PASSPHRASE=demo for the CLI.',
  );

  await lifeboat(['destination', 'add', 'disk', 'drive-a', '--set', `path=${driveA}`]);
  await lifeboat(['destination', 'add', 'disk', 'drive-b', '--set', `path=${driveB}`, '--set', 'offsite=true']);
  const settings = [
    '--set',
    `appleId=${sim.account.appleId}`,
    '--set',
    `authUrl=${sim.authUrl}`,
    '--set',
    `setupUrl=${sim.setupUrl}`,
  ];
  console.log(`\n$ lifeboat source add icloud iphone ${settings.join(' ')}`);
  await addIcloudSource(sim, 'iphone', { home, env: cliEnv });
  console.log('\nSign in: SRP (the password never leaves this machine), then the two-factor code.');
  await lifeboat(
    ['login', 'iphone', '--password-stdin', '--code', sim.account.code],
    `${sim.account.password}\n`,
    `echo '${sim.account.password}' | `,
  );
  await lifeboat(['plan', 'add', 'demo', '--source', 'iphone', '--destination', 'drive-a', '--destination', 'drive-b']);
  await lifeboat(['plan', 'show', 'demo']);
  await lifeboat(['run', 'demo']);
  await lifeboat(['status']);
  const served = (what: string) => {
    const counts = sim.counters.snapshot();
    console.log(
      `\nThe simulated iCloud served ${counts.totalDownloads} downloads (${(counts.totalBytes / 1e6).toFixed(1)} MB) ` +
        `and ${Object.values(counts.requests).reduce((a, b) => a + b, 0)} requests ${what}.`,
    );
  };
  served('in all');

  console.log(
    '\nMeanwhile, on the phone: 3 photos are deleted (they go to Recently Deleted) and 2 new ones are taken.',
  );
  sim.library.delete({ count: 3 });
  sim.library.add(2);
  sim.counters.reset();
  await lifeboat(['run', 'demo']);
  served('for this run: only what changed (iCloud says what changed since the last run)');
  await lifeboat(['status']);
  console.log('The deleted photos stay on both drives; nothing at the source can delete a copy.');

  console.log('\nWhere to look:');
  for (const drive of [driveA, driveB]) {
    console.log(`  ${show(drive)}: plain files by capture date, plus its own index in .lifeboat/`);
    for (const line of await yearSummary(drive)) console.log(`    ${line}`);
  }
  console.log(`  try: find ${show(driveA)} -maxdepth 2`);
  console.log('\nRestore from one drive alone (no catalog needed), for example the HEIC photos of 30-31 May 2025:');
  console.log(
    `  LIFEBOAT_HOME=$(mktemp -d) npm run --silent lifeboat -- restore --from ${show(driveA)} ` +
      `--to ./demo-backup/restored --since 2025-05-30 --until 2025-05-31 --match '*.HEIC'`,
  );
  for (const line of nextSteps(show(home))) console.log(line);
  console.log('\nRun `npm run demo` again to start over; delete ./demo-backup when done.');
  console.log('Against the real iCloud: leave out authUrl/setupUrl, and `lifeboat login iphone` asks for the code.');
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
