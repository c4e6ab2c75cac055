/**
 * The common scene of the e2e suites: a generated photo folder, an empty LIFEBOAT_HOME and two disk drives,
 * wired together through the real CLI as source `photos`, destinations `drive-a`/`drive-b` and plan `main`.
 */
import { join } from 'node:path';
import { generatePhotoFolder, type PhotoEntry, type PhotoFolderOptions } from '../fixtures/photo-folder.js';
import {
  assertCliBuilt,
  type CliOptions,
  type CliResult,
  lifeboat,
  lifeboatOk,
  makeTempDir,
  removeDir,
} from './cli.js';

export interface Drive {
  name: string;
  path: string;
}

export interface RunReport {
  ok: boolean;
  filesCopied: number;
  bytesCopied: number;
  destinations: Array<{ name: string; filesCopied: number; bytesCopied: number }>;
  failures: unknown[];
  goneFromSource: unknown;
}

export interface BackupWorld {
  root: string;
  source: string;
  home: string;
  drives: Drive[];
  plan: string;
  manifest: PhotoEntry[];
  /** The CLI with this world's LIFEBOAT_HOME. */
  cli(args: string[], options?: Omit<CliOptions, 'home'>): Promise<CliResult>;
  /** `run main --json`; throws with the transcript unless it exits 0 with a JSON report. */
  runOk(): Promise<RunReport>;
  cleanup(): Promise<void>;
}

export async function createBackupWorld(photos: PhotoFolderOptions, driveNames = ['drive-a', 'drive-b']) {
  assertCliBuilt();
  const root = await makeTempDir();
  const source = join(root, 'photos');
  const home = join(root, 'home');
  const drives = driveNames.map((name) => ({ name, path: join(root, name) }));
  const cli = (args: string[], options: Omit<CliOptions, 'home'> = {}) => lifeboat(args, { ...options, home });
  let manifest: PhotoEntry[];
  try {
    manifest = await generatePhotoFolder(source, photos);
    await lifeboatOk(['source', 'add', 'folder', 'photos', '--set', `path=${source}`], { home });
    for (const drive of drives) {
      await lifeboatOk(['destination', 'add', 'disk', drive.name, '--set', `path=${drive.path}`], { home });
    }
    const destinationArgs = drives.flatMap((drive) => ['--destination', drive.name]);
    await lifeboatOk(['plan', 'add', 'main', '--source', 'photos', ...destinationArgs], { home });
  } catch (error) {
    await removeDir(root); // the suite never gets a world to clean up
    throw error;
  }
  const world: BackupWorld = {
    root,
    source,
    home,
    drives,
    plan: 'main',
    manifest,
    cli,
    async runOk() {
      const result = await cli(['run', 'main', '--json']);
      if (result.code !== 0) throw new Error(`backup run failed:\n${result.describe()}`);
      return result.json<RunReport>();
    },
    // LIFEBOAT_KEEP_E2E=1 keeps the scene on disk to look at after a failure.
    cleanup: () => (process.env.LIFEBOAT_KEEP_E2E ? Promise.resolve() : removeDir(root)),
  };
  return world;
}

/** Sum of sizes, for bytesCopied/bytesRestored expectations. */
export const totalSize = (entries: PhotoEntry[]) => entries.reduce((sum, entry) => sum + entry.size, 0);

/** One line per entry, for readable assertion messages. */
export const describeEntries = (entries: PhotoEntry[]) =>
  entries.map((e) => `${e.relPath} (${e.capturedAt}${e.offset}, ${e.sha256.slice(0, 12)})`);
