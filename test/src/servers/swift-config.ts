/** The configuration files of the one-machine Swift that swift.ts starts: the toolchain notes' recipe, as code. */
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { SwiftOptions } from './swift.js';

export const REGION = 'us-east-1';
export const RING_KINDS = ['account', 'container', 'object'] as const;
/** A second user of the same account without `.admin`: valid credentials that may not touch any bucket. */
export const NO_ACCESS_USER = { accessKeyId: 'test:reader', secretAccessKey: 'reading' } as const;

function ini(sections: Record<string, Record<string, string | number | boolean>>): string {
  return Object.entries(sections)
    .map(
      ([name, values]) =>
        `[${name}]\n${Object.entries(values)
          .map(([k, v]) => `${k} = ${v}\n`)
          .join('')}`,
    )
    .join('\n');
}

export interface Ports {
  memcached: number;
  account: number;
  container: number;
  object: number;
  proxy: number;
}

export async function writeConfigs(
  dir: string,
  ports: Ports,
  options: Pick<SwiftOptions, 'maxUploadParts' | 's3api'>,
): Promise<void> {
  const etc = join(dir, 'etc');
  const user = userInfo().username;
  const common = (port: number) => ({
    devices: join(dir, 'srv', 'node'),
    mount_check: false,
    bind_ip: '127.0.0.1',
    bind_port: port,
    swift_dir: etc,
    workers: 0,
    // Swift retries a taken port for 30 s by default: give up soon and let startSwift retry on other ports.
    bind_timeout: 1,
    user,
    recon_cache_path: join(dir, 'cache'),
    log_level: 'INFO',
  });
  await writeFile(
    join(etc, 'swift.conf'),
    ini({
      'swift-hash': { swift_hash_path_suffix: 'lifeboat-test-suffix', swift_hash_path_prefix: 'lifeboat-test-prefix' },
      'storage-policy:0': { name: 'Policy-0', default: 'yes' },
    }),
  );
  for (const kind of RING_KINDS) {
    await writeFile(
      join(etc, `${kind}-server.conf`),
      ini({
        DEFAULT: common(ports[kind]),
        'pipeline:main': { pipeline: `healthcheck ${kind}-server` },
        [`app:${kind}-server`]: { use: `egg:swift#${kind}` },
        'filter:healthcheck': { use: 'egg:swift#healthcheck' },
        ...(kind === 'container' ? { 'container-sync': {} } : {}),
      }),
    );
  }
  const maxParts = options.maxUploadParts ?? 1000;
  const filters = [
    'catch_errors',
    'gatekeeper',
    'healthcheck',
    'proxy-logging',
    'listing_formats',
    'bulk',
    'copy',
    'dlo',
  ];
  await writeFile(
    join(etc, 'proxy-server.conf'),
    ini({
      DEFAULT: common(ports.proxy),
      'pipeline:main': {
        pipeline:
          'catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo ' +
          'proxy-logging proxy-server',
      },
      'app:proxy-server': { use: 'egg:swift#proxy', account_autocreate: true },
      'filter:tempauth': {
        use: 'egg:swift#tempauth',
        user_test_tester: 'testing .admin',
        [`user_test_${NO_ACCESS_USER.accessKeyId.split(':')[1]}`]: NO_ACCESS_USER.secretAccessKey,
      },
      'filter:s3api': {
        use: 'egg:swift#s3api',
        location: REGION,
        max_upload_part_num: maxParts,
        ...options.s3api,
      },
      'filter:cache': { use: 'egg:swift#memcache', memcache_servers: `127.0.0.1:${ports.memcached}` },
      'filter:slo': { use: 'egg:swift#slo', max_manifest_segments: maxParts },
      ...Object.fromEntries(filters.map((name) => [`filter:${name}`, { use: `egg:swift#${name.replace('-', '_')}` }])),
    }),
  );
}
