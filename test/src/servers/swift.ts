import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { freePorts } from './ports.js';
import { type Ports, REGION, RING_KINDS, writeConfigs } from './swift-config.js';
import { findBinary, installExitHook, kill, launch, liveDirs, type Managed, run, tail } from './swift-processes.js';

export interface SwiftOptions {
  /** How long to wait for every server to answer its healthcheck. Default 30 s. */
  startTimeoutMs?: number;
  /**
   * Largest part number of a multipart upload (s3api `max_upload_part_num` and SLO `max_manifest_segments`).
   * Default 1000, Swift's own default; real S3 allows 10,000.
   */
  maxUploadParts?: number;
  /** Extra `[filter:s3api]` settings, e.g. `{ allowable_clock_skew: 60 }`. */
  s3api?: Record<string, string | number | boolean>;
  /** Where to create the temp folder. Default os.tmpdir(). */
  parentDir?: string;
}

export interface SwiftProcess {
  name: Managed['name'];
  pid: number;
  log: string;
}

export interface SwiftServer {
  /** The S3 endpoint (the proxy): `http://127.0.0.1:<port>`. Use path-style addressing. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The temp folder holding rings, configs, data (`srv/`) and logs (`log/<process>.log`). */
  dir: string;
  processes: SwiftProcess[];
  /** Milliseconds from the call to startSwift until every server answered its healthcheck. */
  startupMs: number;
  /**
   * AWS SDK settings for this server: endpoint, credentials, path style, `WHEN_REQUIRED` checksums, and
   * `overrides` on top (e.g. `{ maxAttempts: 1 }` or another endpoint such as a fault proxy's).
   */
  clientConfig(overrides?: Partial<S3ClientConfig>): S3ClientConfig;
  createBucket(name: string): Promise<void>;
  /** The last `lines` of every process's log, for assertion messages. */
  logTail(lines?: number): string;
  /** Kills every process, waits for them to exit and removes the temp folder. Safe to call more than once. */
  stop(): Promise<void>;
}

const ACCESS_KEY_ID = 'test:tester';
const SECRET_ACCESS_KEY = 'testing';
const REQUIRED = [
  'swift-ring-builder',
  'swift-account-server',
  'swift-container-server',
  'swift-object-server',
  'swift-proxy-server',
  'memcached',
];
const INSTALL_HINT = 'Run `bash scripts/ensure-debs.sh` (npm test does that) to install the Debian packages.';

/** The Swift and memcached commands that are not installed. */
export function missingSwiftBinaries(): string[] {
  return REQUIRED.filter((name) => findBinary(name) === undefined);
}

/** Whether Swift and memcached are installed. Tests must not skip on false: assertSwiftAvailable() says what to do. */
export function swiftAvailable(): boolean {
  return missingSwiftBinaries().length === 0;
}

/** Throws with the install command if Swift or memcached is missing. */
export function assertSwiftAvailable(): void {
  const missing = missingSwiftBinaries();
  if (missing.length > 0) {
    throw new Error(`OpenStack Swift is not installed (missing: ${missing.join(', ')}). ${INSTALL_HINT}`);
  }
}

/**
 * One-replica rings with one device each, built in one Python process with the RingBuilder class that
 * swift-ring-builder wraps (create 10 1 1, add r1z1-127.0.0.1:PORT/d1 100, rebalance): 0.7 s, where the nine
 * swift-ring-builder calls take 3 s even three at a time. The interpreter is the one swift-ring-builder runs under.
 */
const RING_SCRIPT = `
import sys
from swift.common.ring import RingBuilder
etc = sys.argv[1]
for spec in sys.argv[2:]:
    kind, port = spec.split(':')
    builder = RingBuilder(10, 1, 1)
    builder.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': int(port), 'device': 'd1', 'weight': 100})
    builder.rebalance()
    builder.get_ring().save(f'{etc}/{kind}.ring.gz')
    builder.save(f'{etc}/{kind}.builder')
`;

function ringBuilderPython(): string[] {
  const script = findBinary('swift-ring-builder')!;
  const shebang = /^#!\s*(.+)$/m.exec(readFileSync(script, 'utf8').split('\n', 1)[0] ?? '');
  return shebang ? shebang[1]!.trim().split(/\s+/) : ['python3'];
}

async function buildRings(dir: string, ports: Ports): Promise<void> {
  const etc = join(dir, 'etc');
  const [python, ...pythonArgs] = ringBuilderPython();
  const specs = RING_KINDS.map((kind) => `${kind}:${ports[kind]}`);
  await run(python!, [...pythonArgs, '-c', RING_SCRIPT, etc, ...specs], etc);
}

// --- readiness -------------------------------------------------------------------------------------------------

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthcheck', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
      res.once('error', () => resolve(false));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class StartError extends Error {
  constructor(
    message: string,
    readonly portClash: boolean,
  ) {
    super(message);
  }
}

// --- the server ------------------------------------------------------------------------------------------------

const DIR_PREFIX = 'lifeboat-swift-';
const OWNER_FILE = 'owner.pid';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the folders of servers whose test process died without stop(): vitest ends its workers without running
 * 'exit' handlers. (Their processes are gone already: setpriv's parent-death signal killed them.)
 */
async function removeStaleDirs(parent: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(parent)).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const dir = join(parent, name);
      try {
        const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => Number.NaN));
        const stale = Number.isInteger(owner)
          ? !processAlive(owner)
          : Date.now() - (await stat(dir)).mtimeMs > 10 * 60_000; // no owner file: only if long abandoned
        if (stale) await rm(dir, { recursive: true, force: true });
      } catch {
        // another process is removing it, or it is not ours to touch
      }
    }),
  );
}

async function startOnce(options: SwiftOptions, started: number): Promise<SwiftServer> {
  const parent = options.parentDir ?? tmpdir();
  await removeStaleDirs(parent);
  const dir = await mkdtemp(join(parent, DIR_PREFIX));
  liveDirs.add(dir);
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  installExitHook();
  const managed: Managed[] = [];
  const logTail = (lines = 20) =>
    managed.map((m) => `--- ${m.name} (${m.log}) ---\n${tail(m.log, lines)}`).join('\n') || '(no process started)';
  try {
    for (const sub of ['etc', 'log', 'cache', join('srv', 'node', 'd1')])
      await mkdir(join(dir, sub), { recursive: true });
    const [memcached, account, container, object, proxy] = await freePorts(5);
    const ports: Ports = {
      memcached: memcached!,
      account: account!,
      container: container!,
      object: object!,
      proxy: proxy!,
    };
    const etc = join(dir, 'etc');
    const log = (name: string) => join(dir, 'log', `${name}.log`);
    await writeConfigs(dir, ports, options);

    // A process that exits before the servers are ready fails the start at once, with its log.
    let starting = true;
    let failure: StartError | undefined;
    const watch = (m: Managed) => {
      managed.push(m);
      void m.exited.then(() => {
        if (!starting || failure) return; // after the start, stop() reaps it
        const text = tail(m.log, 30);
        const how = m.exit?.signal ? `signal ${m.exit.signal}` : `code ${m.exit?.code}`;
        failure = new StartError(
          `Swift failed to start: ${m.name} exited (${how}). The end of its log:\n${text}`,
          /Could not bind|Address already in use/i.test(text),
        );
      });
    };

    // Only the proxy reads the rings (the backends' replicators would, but none run): start memcached and the
    // backends while the rings are built.
    const memArgs = ['-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0', '-m', '64'];
    if (process.getuid?.() === 0) memArgs.unshift('-u', 'root');
    watch(launch('memcached', findBinary('memcached')!, memArgs, dir, log('memcached')));
    const server = (name: (typeof RING_KINDS)[number] | 'proxy') =>
      watch(
        launch(name, findBinary(`swift-${name}-server`)!, [join(etc, `${name}-server.conf`), '-v'], dir, log(name)),
      );
    for (const kind of RING_KINDS) server(kind);
    await buildRings(dir, ports);
    if (failure) throw failure;
    server('proxy');

    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const pending = new Set<keyof Ports>(['memcached', ...RING_KINDS, 'proxy']);
    while (pending.size > 0) {
      await Promise.all(
        [...pending].map(async (name) => {
          if (await (name === 'memcached' ? listening(ports[name]) : healthy(ports[name]))) pending.delete(name);
        }),
      );
      if (failure) throw failure;
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        throw new StartError(
          `Swift did not answer /healthcheck within ${timeoutMs / 1000} s (waiting for ${[...pending].join(', ')}):\n` +
            logTail(30),
          false,
        );
      }
      await sleep(100);
    }
    starting = false;

    const endpoint = `http://127.0.0.1:${ports.proxy}`;
    const clientConfig = (overrides: Partial<S3ClientConfig> = {}): S3ClientConfig => ({
      endpoint,
      region: REGION,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...overrides,
    });
    let stopping: Promise<void> | undefined;
    return {
      endpoint,
      region: REGION,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      dir,
      processes: managed.map((m) => ({ name: m.name, pid: m.child.pid!, log: m.log })),
      startupMs: Math.round(performance.now() - started),
      clientConfig,
      async createBucket(name: string) {
        const client = new S3Client(clientConfig());
        try {
          await client.send(new CreateBucketCommand({ Bucket: name }));
        } finally {
          client.destroy();
        }
      },
      logTail,
      stop() {
        stopping ??= (async () => {
          await kill(managed, 1000);
          await rm(dir, { recursive: true, force: true, maxRetries: 3 });
          liveDirs.delete(dir);
        })();
        return stopping;
      },
    };
  } catch (error) {
    await kill(managed, 0);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    liveDirs.delete(dir);
    throw error;
  }
}

/**
 * Starts a fresh Swift with s3api (memcached + account, container, object and proxy servers) on free loopback
 * ports and waits until every server answers. Fails fast, with the log tail, if a process dies; retries with other
 * ports if one was taken in the meantime. Call stop() when done (the processes also die with this process).
 */
export async function startSwift(options: SwiftOptions = {}): Promise<SwiftServer> {
  assertSwiftAvailable();
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, started);
    } catch (error) {
      if (!(error instanceof StartError && error.portClash && attempt < 3)) throw error;
    }
  }
}
