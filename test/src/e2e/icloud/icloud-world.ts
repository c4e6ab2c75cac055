/**
 * The scene of the iCloud end-to-end suites: the simulated iCloud started in this process, an empty LIFEBOAT_HOME
 * and two disk drives, wired together through the real, built CLI as source `ic-<random>` (iCloud), destinations
 * `drive-a`/`drive-b` and plan `main`. Also what the suites check copies against: the simulator's own bytes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetState, Library } from '@lifeboat/icloud-sim';
import { contentSha256, type Simulator, type SimulatorOptions, startSimulator } from '@lifeboat/icloud-sim';
import {
  assertCliBuilt,
  type CliOptions,
  type CliResult,
  hashTree,
  lifeboat,
  lifeboatOk,
  makeTempDir,
  removeDir,
} from '../cli.js';
import type { Drive, RunReport } from '../world.js';

/** The resource fields a default `icloud` source backs up, by the kind the destination index names them. */
export const FIELD_OF_KIND: Readonly<Record<string, string>> = {
  original: 'resOriginalRes',
  'live-video': 'resOriginalVidComplRes',
  raw: 'resOriginalAltRes',
  edited: 'resJPEGFullRes',
};
export const KIND_OF_FIELD: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FIELD_OF_KIND).map(([kind, field]) => [field, kind]),
);

/**
 * Secrets the way CI keeps them: inside scripts/test.sh the OS keychain is a throwaway Secret Service; a bare
 * `npx vitest run` has none, so there the encrypted vault file (in LIFEBOAT_HOME) stands in.
 */
export function secretsEnv(): Record<string, string> {
  return process.env.LIFEBOAT_TEST_KEYRING === 'hermetic'
    ? {}
    : { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'e2e-vault-passphrase' };
}
export const usesKeychain = () => process.env.LIFEBOAT_TEST_KEYRING === 'hermetic';

export interface IcloudWorld {
  sim: Simulator;
  root: string;
  home: string;
  drives: Drive[];
  /** The source's name: unique, since keychain entries are named after it and the keyring is shared. */
  source: string;
  plan: string;
  env: Record<string, string>;
  /** How the source got into the config: `cli` (source add) or `config` (the fallback, see addIcloudSource). */
  addedBy: 'cli' | 'config';
  cli(args: string[], options?: Omit<CliOptions, 'home' | 'env'> & { home?: string }): Promise<CliResult>;
  /** `login <source> --password-stdin [--code <code>]`, the password on stdin. */
  login(extra?: string[], password?: string): Promise<CliResult>;
  /** `run main --json`; throws with the transcript unless it exits 0 with a JSON report. */
  runOk(): Promise<RunReport>;
  cleanup(): Promise<void>;
}

export interface IcloudWorldOptions {
  sim?: SimulatorOptions;
  drives?: string[];
  /** Sign in with the device code once set up (default true). */
  login?: boolean;
}

export function sourceSettings(sim: Simulator): string[] {
  return [
    '--set',
    `appleId=${sim.account.appleId}`,
    '--set',
    `authUrl=${sim.authUrl}`,
    '--set',
    `setupUrl=${sim.setupUrl}`,
  ];
}

/** `lifeboat source add icloud <name> ...`, exactly as a user types it (sign-in follows with `login`). */
export async function addIcloudSource(
  sim: Simulator,
  name: string,
  options: { home: string; env: Record<string, string> },
): Promise<{ addedBy: 'cli'; result: CliResult }> {
  const result = await lifeboat(['source', 'add', 'icloud', name, ...sourceSettings(sim)], options);
  if (result.code !== 0) throw new Error(`source add failed:\n${result.describe()}`);
  return { addedBy: 'cli', result };
}

export async function createIcloudWorld(options: IcloudWorldOptions = {}): Promise<IcloudWorld> {
  assertCliBuilt();
  const sim = await startSimulator(options.sim);
  const root = await makeTempDir('lifeboat-icloud-e2e-');
  const home = join(root, 'home');
  const drives = (options.drives ?? ['drive-a', 'drive-b']).map((name) => ({ name, path: join(root, name) }));
  const env = secretsEnv();
  const source = `ic-${randomBytes(4).toString('hex')}`;
  const cli: IcloudWorld['cli'] = (args, o = {}) => lifeboat(args, { ...o, home: o.home ?? home, env });
  const login: IcloudWorld['login'] = (extra = ['--code', sim.account.code], password = sim.account.password) =>
    cli(['login', source, '--password-stdin', ...extra], { input: `${password}\n` });
  let addedBy: 'cli' | 'config' = 'cli';
  try {
    for (const drive of drives) {
      await lifeboatOk(['destination', 'add', 'disk', drive.name, '--set', `path=${drive.path}`], { home, env });
    }
    addedBy = (await addIcloudSource(sim, source, { home, env })).addedBy;
    const destinationArgs = drives.flatMap((drive) => ['--destination', drive.name]);
    await lifeboatOk(['plan', 'add', 'main', '--source', source, ...destinationArgs], { home, env });
    if (options.login !== false) {
      const result = await login();
      if (result.code !== 0) throw new Error(`login failed:\n${result.describe()}`);
    }
  } catch (error) {
    await removeDir(root);
    await sim.stop();
    throw error;
  }
  return {
    sim,
    root,
    home,
    drives,
    source,
    plan: 'main',
    env,
    addedBy,
    cli,
    login,
    async runOk() {
      const result = await cli(['run', 'main', '--json']);
      if (result.code !== 0) throw new Error(`backup run failed:\n${result.describe()}`);
      return result.json<RunReport>();
    },
    async cleanup() {
      await sim.stop();
      // LIFEBOAT_KEEP_E2E=1 keeps the scene on disk to look at after a failure.
      if (!process.env.LIFEBOAT_KEEP_E2E) await removeDir(root);
    },
  };
}

/** One line of a destination's own index (`.lifeboat/index/*.jsonl`). */
export interface IndexEntry {
  key: string;
  source: string;
  assetId: string;
  kind: string;
  version: string;
  fileName: string;
  size: number;
  sha256: string;
}

export async function readIndex(drive: string): Promise<IndexEntry[]> {
  const dir = join(drive, '.lifeboat', 'index');
  if (!existsSync(dir)) return [];
  const entries: IndexEntry[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (line.trim()) entries.push(JSON.parse(line) as IndexEntry);
    }
  }
  return entries;
}

/** The simulator's assets a default listing yields (hidden included; Recently Deleted and expunged not). */
export function listedStates(library: Library): AssetState[] {
  const out: AssetState[] = [];
  for (let i = 0; i < library.size; i++) {
    const s = library.state(i);
    if (!s.isExpunged && !s.isDeleted) out.push(s);
  }
  return out;
}

/** One resource the simulator serves and a backup must hold: the asset (CPLMaster name), kind, size, sha256. */
export interface ExpectedFile {
  assetId: string;
  cplAsset: string;
  kind: string;
  field: string;
  fileName: string;
  size: number;
  sha256: string;
}

export function expectedFiles(library: Library, states: AssetState[]): ExpectedFile[] {
  const out: ExpectedFile[] = [];
  for (const state of states) {
    for (const resource of library.resources(state)) {
      const kind = KIND_OF_FIELD[resource.field];
      if (!kind) continue;
      const spec = library.content(state, resource.field);
      if (!spec) throw new Error(`simulator: no content for ${state.spec.masterId} ${resource.field}`);
      out.push({
        assetId: state.spec.masterId,
        cplAsset: state.spec.assetId,
        kind,
        field: resource.field,
        fileName: state.spec.filename,
        size: spec.size,
        sha256: contentSha256(spec),
      });
    }
  }
  return out;
}

/**
 * Checks a drive against what the simulator serves: every expected file is in the index under its asset and kind,
 * on disk at the index's key, and its bytes hash to the simulator's sha256. Returns the problems (empty: all good)
 * and the drive's hashed tree, for more checks.
 */
export async function verifyDrive(
  drive: string,
  expected: ExpectedFile[],
): Promise<{ problems: string[]; index: IndexEntry[]; tree: Map<string, string> }> {
  const index = await readIndex(drive);
  const tree = await hashTree(drive);
  const byAsset = new Map<string, IndexEntry[]>();
  for (const entry of index) {
    const k = `${entry.assetId}\u0000${entry.kind}`;
    byAsset.set(k, [...(byAsset.get(k) ?? []), entry]);
  }
  const problems: string[] = [];
  for (const file of expected) {
    const entries = byAsset.get(`${file.assetId}\u0000${file.kind}`) ?? [];
    const entry = entries.find((e) => e.sha256 === file.sha256);
    if (!entry) {
      problems.push(
        `${drive}: ${file.fileName} (${file.assetId} ${file.kind}): ` +
          (entries.length === 0
            ? 'not in the index'
            : `index sha256 ${entries.map((e) => e.sha256).join(',')} ≠ ${file.sha256}`),
      );
      continue;
    }
    const onDisk = tree.get(entry.key);
    if (onDisk !== file.sha256) {
      problems.push(
        `${drive}: ${entry.key}: ${onDisk === undefined ? 'missing on disk' : `sha256 ${onDisk} ≠ ${file.sha256}`}`,
      );
    }
  }
  return { problems, index, tree };
}

/** Windows' reserved device names, which no path segment may be (with or without an extension). */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Path segments a copy must never have: empty, dot-dot, NUL/control characters, reserved names, trailing dot/space. */
export function unsafeSegments(key: string): string[] {
  return key.split('/').filter(
    (segment) =>
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
      /[\u0000-\u001f\\:*?"<>|]/.test(segment) ||
      RESERVED.test(segment) ||
      /[. ]$/.test(segment) ||
      Buffer.byteLength(segment) > 255,
  );
}
