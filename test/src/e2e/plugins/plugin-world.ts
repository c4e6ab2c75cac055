/**
 * The scene the plugin e2e suites share: a temp root holding a LIFEBOAT_HOME and a small generated photo folder,
 * the fixture plugin folders, a CLI wrapper that keeps every transcript (the secrets suites scan all output for
 * secret values), and checks on file trees, state files and the Secret Service.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { generatePhotoFolder, type PhotoEntry } from '../../fixtures/photo-folder.js';
import {
  assertCliBuilt,
  type CliOptions,
  type CliResult,
  hashTree,
  lifeboat,
  makeTempDir,
  multisetDiff,
  removeDir,
  repoRoot,
} from '../cli.js';

export const fixturePlugin = (name: string) => join(repoRoot, 'test', 'fixtures', 'plugins', name);
export const samplePluginDir = join(repoRoot, 'examples', 'lifeboat-plugin-archive');
export const webdavPluginDir = join(repoRoot, 'examples', 'lifeboat-plugin-webdav');

/** One entry of `lifeboat plugins --json`. */
export interface PluginInfo {
  id: string;
  displayName: string;
  packageName: string;
  version: string;
  dir: string;
  builtin: boolean;
  state: 'active' | 'inactive' | 'failed';
  error?: string;
  sources: string[];
  destinations: string[];
}

export interface RunFailure {
  code: string;
  message: string;
  destination?: string;
  fileName?: string;
}

/** The parts of `run --json` these suites check. */
export interface RunReport {
  ok: boolean;
  filesCopied: number;
  destinations: { name: string; filesCopied: number; error?: { code: string; message: string } }[];
  failures: RunFailure[];
}

export interface PluginWorld {
  root: string;
  home: string;
  photos: string;
  manifest: PhotoEntry[];
  /** Every command this world ran, in order. */
  transcripts: CliResult[];
  /** The CLI with this world's LIFEBOAT_HOME (or `options.home`); generous time limits for loaded CI machines. */
  cli(args: string[], options?: Partial<CliOptions>): Promise<CliResult>;
  /** Like cli, but throws with the transcript unless the command exits 0: for setup steps. */
  ok(args: string[], options?: Partial<CliOptions>): Promise<CliResult>;
  plugins(options?: Partial<CliOptions>): Promise<PluginInfo[]>;
  /** A path inside the temp root (destinations, restore targets, second homes). */
  path(...parts: string[]): string;
  cleanup(): Promise<void>;
}

export async function createPluginWorld(options: { seed: number; count?: number }): Promise<PluginWorld> {
  assertCliBuilt();
  const root = await makeTempDir('lifeboat-e2e-plugins-');
  const home = join(root, 'home');
  const photos = join(root, 'photos');
  const manifest = await generatePhotoFolder(photos, { count: options.count ?? 12, seed: options.seed });
  const transcripts: CliResult[] = [];
  const cli = async (args: string[], o: Partial<CliOptions> = {}) => {
    const slow = args[0] === 'run' || args[0] === 'restore';
    const result = await lifeboat(args, { home, timeoutMs: slow ? 180_000 : 60_000, ...o });
    transcripts.push(result);
    return result;
  };
  const ok = async (args: string[], o: Partial<CliOptions> = {}) => {
    const result = await cli(args, o);
    if (result.code !== 0) throw new Error(`setup step failed:\n${result.describe()}`);
    return result;
  };
  return {
    root,
    home,
    photos,
    manifest,
    transcripts,
    cli,
    ok,
    plugins: async (o = {}) => (await ok(['plugins', '--json'], o)).json<PluginInfo[]>(),
    path: (...parts) => join(root, ...parts),
    // LIFEBOAT_KEEP_E2E=1 keeps the scene on disk to look at after a failure.
    cleanup: () => (process.env.LIFEBOAT_KEEP_E2E ? Promise.resolve() : removeDir(root)),
  };
}

/** The installed plugin whose folder is `node_modules/<packageName>`: failed plugins have no id but their folder. */
export function pluginByPackage(plugins: PluginInfo[], packageName: string): PluginInfo | undefined {
  return plugins.find((p) => p.dir.split(/[\\/]/).at(-1) === packageName);
}

/**
 * How `dir` (marker and temp files aside) differs from the photo folder, as multisets of contents: source paths
 * of photos with no byte-identical copy, and paths in `dir` that match no photo or repeat one.
 */
export async function treeDiff(dir: string, manifest: PhotoEntry[]): Promise<{ missing: string[]; extra: string[] }> {
  const tree = await hashTree(dir);
  const { missing, extra } = multisetDiff(
    manifest.map((e) => e.sha256),
    tree.values(),
  );
  const sourcePath = new Map(manifest.map((e) => [e.sha256, e.relPath]));
  const pathsOf = (sha: string) => [...tree].filter(([, s]) => s === sha).map(([rel]) => rel);
  return { missing: missing.map((sha) => sourcePath.get(sha) ?? sha), extra: [...new Set(extra)].flatMap(pathsOf) };
}

/** Every regular file under `dir` (hidden ones included), as absolute paths, minus those `skip` names. */
export async function filesUnder(dir: string, skip: (rel: string) => boolean = () => false): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !skip(relative(dir, path).split('\\').join('/')))
    .sort();
}

/** `<file> holds "<needle>" (<encoding>)` for each file holding a needle as UTF-8, UTF-16 or base64. */
export async function secretHits(files: string[], needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    for (const needle of needles) {
      for (const encoding of ['utf8', 'utf16le', 'base64'] as const) {
        const form =
          encoding === 'base64' ? Buffer.from(Buffer.from(needle).toString('base64')) : Buffer.from(needle, encoding);
        if (bytes.includes(form)) hits.push(`${file} holds ${JSON.stringify(needle)} (${encoding})`);
      }
    }
  }
  return hits;
}

/** `<command> printed "<needle>"` for each transcript whose stdout or stderr holds a needle. */
export function outputHits(transcripts: CliResult[], needles: string[]): string[] {
  return transcripts.flatMap((t) =>
    needles
      .filter((n) => t.stdout.includes(n) || t.stderr.includes(n))
      .map((n) => `lifeboat ${t.args.join(' ')} printed ${JSON.stringify(n)}`),
  );
}

/** The JSON lines of `$LIFEBOAT_HOME/logs/lifeboat.log`. */
export async function readLog(home: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(home, 'logs', 'lifeboat.log'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A personal keyring must never receive test items: scripts/test.sh starts a throwaway one and says so. */
export function requireHermeticKeyring(): void {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS || process.env.LIFEBOAT_TEST_KEYRING !== 'hermetic') {
    throw new Error(
      'These tests need the throwaway Secret Service that scripts/test.sh starts (dbus-run-session + ' +
        'gnome-keyring). Run them with `bash scripts/test.sh test/src/e2e/plugins`, not a bare `npx vitest run`.',
    );
  }
}

export interface KeyringItems {
  /** attribute.account of each item under the service, sorted. */
  accounts: string[];
  /** The stored values (secret-tool prints them): to check what was stored, never to print. */
  secrets: string[];
  output: string;
}

/** The keychain service of an instance of a Lifeboat home (the README: each LIFEBOAT_HOME has its own namespace). */
export function keychainService(home: string, instance: string): string {
  const id = createHash('sha256').update(resolve(home)).digest('hex').slice(0, 12);
  return `lifeboat@${id}/${instance}`;
}

/** What the Secret Service holds under one service, asked through secret-tool rather than Lifeboat. */
export function keyringItems(service: string): Promise<KeyringItems> {
  return new Promise((resolve, reject) => {
    const child = spawn('secret-tool', ['search', '--all', 'service', service], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', reject);
    // secret-tool prints the attributes on stderr and the label and secret on stdout; together they describe items.
    child.on('close', () => {
      const values = (field: string) => [...output.matchAll(new RegExp(`^${field} = (.*)$`, 'gm'))].map((m) => m[1]!);
      resolve({ accounts: values('attribute\\.account').sort(), secrets: values('secret'), output });
    });
  });
}
