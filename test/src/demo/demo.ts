/**
 * `npm run demo`: a two-minute tour of Lifeboat with the real CLI. Generates 60 sample photos, backs them up to
 * two folders standing in for drives, and shows where everything landed. Starts fresh every time.
 */
import { spawnSync } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { assertCliBuilt, cliPath, repoRoot } from '../e2e/cli.js';
import { generatePhotoFolder } from '../fixtures/photo-folder.js';

const base = join(repoRoot, 'demo-backup');
const photos = join(base, 'photos');
const home = join(base, 'home');
const driveA = join(base, 'drive-a');
const driveB = join(base, 'drive-b');
const show = (path: string) => `./${relative(repoRoot, path)}`;

/** Runs the CLI with the user watching (inherited stdio); stops the demo on the first failure. */
function lifeboat(...args: string[]): void {
  const shown = args.map((arg) => arg.replaceAll(repoRoot, './').replaceAll('.//', './'));
  console.log(`\n$ lifeboat ${shown.join(' ')}`);
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, LIFEBOAT_HOME: home },
  });
  if (result.status !== 0) {
    throw new Error(`lifeboat ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
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
  console.log(`Generating 60 sample photos in ${show(photos)} ...`);
  const manifest = await generatePhotoFolder(photos, { count: 60, seed: 2024, sizes: { min: 50_000, max: 900_000 } });
  const megabytes = manifest.reduce((sum, e) => sum + e.size, 0) / 1e6;
  console.log(
    `  ${manifest.length} photos, ${megabytes.toFixed(1)} MB, in Camera/, Phone Export/, Scans/, Second Card/`,
  );
  console.log(`Lifeboat keeps its configuration and catalog in LIFEBOAT_HOME=${show(home)}`);

  lifeboat('source', 'add', 'folder', 'photos', '--set', `path=${photos}`);
  lifeboat('destination', 'add', 'disk', 'drive-a', '--set', `path=${driveA}`);
  lifeboat('destination', 'add', 'disk', 'drive-b', '--set', `path=${driveB}`, '--set', 'offsite=true');
  lifeboat('plan', 'add', 'demo', '--source', 'photos', '--destination', 'drive-a', '--destination', 'drive-b');
  lifeboat('plan', 'show', 'demo');
  lifeboat('run', 'demo');
  lifeboat('status');

  console.log('\nWhere to look:');
  for (const drive of [driveA, driveB]) {
    console.log(`  ${show(drive)}: plain files by capture date, plus its own index in .lifeboat/`);
    for (const line of await yearSummary(drive)) console.log(`    ${line}`);
  }
  console.log(`  try: find ${show(driveA)} -maxdepth 2`);
  console.log('\nRestore from one drive alone (no catalog needed), for example the summer of 2019:');
  console.log(
    `  LIFEBOAT_HOME=$(mktemp -d) node packages/tui/bin/lifeboat.js restore --from ${show(driveA)} ` +
      `--to ./demo-backup/restored --since 2019-06-01 --until 2019-08-31 --match '*.JPG'`,
  );
  console.log('\nRun `npm run demo` again to start over; delete ./demo-backup when done.');
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
