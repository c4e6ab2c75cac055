/**
 * Issue 17, the writing side, through the built CLI: a source with full metadata (the records fixture plugin, as
 * the simulated iCloud does not serve captions, keywords or places yet) backed up to a disk drive and an S3
 * bucket. ExifTool reads each sidecar back; file times are capture times on the drive, in the bucket (rclone's
 * `mtime`, as `rclone lsl` shows it) and after a restore; a metadata-only change rewrites only the sidecars.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, makeTempDir, removeDir, walkFiles } from './cli.js';
import { fixturePlugin } from './plugins/plugin-world.js';
import {
  ACCESS_KEY_ID,
  type S3Server,
  SECRET_ACCESS_KEY,
  SECRETS_INPUT,
  secretsEnv,
  startS3Server,
} from './s3/s3-world.js';
import { exifInstant, exiftool, rcloneTimes } from './sidecar-tools.js';
import { type BackupWorld, createBackupWorld, type RunReport } from './world.js';

const PREFIX = 'meta/';

/** An asset record as a source plugin sends it; its one file's bytes are its locator's text. */
function record(id: string, fields: Record<string, unknown>) {
  const bytes = `bytes of ${id}`;
  return {
    id,
    fileName: `${id}.jpg`,
    albums: [],
    favorite: false,
    hidden: false,
    metadata: {},
    ...fields,
    resources: [{ kind: 'original', fileName: `${id}.jpg`, size: bytes.length, version: '1', locator: bytes }],
  };
}

const ROME = record('IMG_0001', {
  capturedAt: '2019-05-04T12:30:00',
  timeZone: 'Europe/Paris',
  favorite: true,
  title: 'The bridge',
  caption: 'Sunset & <river>',
  keywords: ['river', 'bridge'],
  location: { latitude: 41.8986, longitude: 12.4769, altitude: 21 },
  albums: ['Rome', 'Family'],
  albumFolders: { Rome: 'Trips/2019' },
});
const RIO = record('IMG_0002', {
  capturedAt: '2020-01-02T03:04:05-03:00',
  location: { latitude: -22.9519, longitude: -43.2105 },
});
const ROME_AT = Date.parse('2019-05-04T10:30:00Z');
const RIO_AT = Date.parse('2020-01-02T06:04:05Z');

describe('sidecars and file times on a disk drive and an S3 bucket', () => {
  let world: BackupWorld;
  let s3: S3Server;
  let bucket: string;
  let records: string;
  let first: RunReport;
  let drive: string;
  const env = secretsEnv();

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    world = await createBackupWorld({ count: 1, seed: 17 }, ['drive-a']);
    drive = world.drives[0]!.path;
    records = join(world.root, 'records.json');
    await writeFile(records, JSON.stringify([ROME, RIO]));
    for (const [args, input] of [
      [['plugins', 'add', fixturePlugin('lifeboat-plugin-records-source')]],
      [['source', 'add', 'records', 'rec', '--set', `recordsFile=${records}`]],
      [['destination', 'add', 's3', 'offsite', ...s3.destinationArgs(bucket, [`prefix=${PREFIX}`])], SECRETS_INPUT],
      [['plan', 'add', 'meta', '--source', 'rec', '--destination', 'drive-a', '--destination', 'offsite']],
    ] as [string[], string?][]) {
      const r = await world.cli(args, { env, timeoutMs: 120_000, ...(input ? { input } : {}) });
      if (r.code !== 0) throw new Error(r.describe());
    }
    const run = await world.cli(['run', 'meta', '--json'], { env });
    if (run.code !== 0) throw new Error(run.describe());
    first = run.json<RunReport>();
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
    await s3?.stop();
  });

  it('writes a sidecar beside every copy, on the drive and in the bucket, with the same bytes', async () => {
    expect(first).toMatchObject({ ok: true, filesCopied: 2 });
    const files = await walkFiles(drive, { includeSidecars: true });
    expect(files).toEqual([
      '2019/05/IMG_0001.jpg',
      '2019/05/IMG_0001.jpg.xmp',
      '2020/01/IMG_0002.jpg',
      '2020/01/IMG_0002.jpg.xmp',
    ]);
    expect(await s3.hashes(bucket, PREFIX, { includeSidecars: true })).toEqual(
      await hashTree(drive, { includeSidecars: true }),
    );
  });

  it('ExifTool reads the date, rating, title, caption, keywords, albums and place from each sidecar', async () => {
    const [rome, rio] = await exiftool([
      join(drive, '2019/05/IMG_0001.jpg.xmp'),
      join(drive, '2020/01/IMG_0002.jpg.xmp'),
    ]);
    expect(rome).toMatchObject({
      'XMP-exif:DateTimeOriginal': '2019:05:04 12:30:00+02:00',
      'XMP-photoshop:DateCreated': '2019:05:04 12:30:00+02:00',
      'XMP-xmp:Rating': 5,
      'XMP-dc:Title': 'The bridge',
      'XMP-dc:Description': 'Sunset & <river>',
      'XMP-dc:Subject': ['river', 'bridge'],
      'XMP-lr:HierarchicalSubject': ['Albums|Trips|2019|Rome', 'Albums|Family'],
      'XMP-digiKam:TagsList': ['Albums/Trips/2019/Rome', 'Albums/Family'],
      'XMP-exif:GPSLatitude': 41.8986,
      'XMP-exif:GPSLongitude': 12.4769,
      'XMP-exif:GPSAltitude': 21,
      'XMP-xmpMM:PreservedFileName': 'IMG_0001.jpg',
      'XMP-lifeboat:AssetId': 'IMG_0001',
    });
    expect(exifInstant(rome!['XMP-exif:DateTimeOriginal'])).toBe(ROME_AT);
    expect(rio).toMatchObject({
      'XMP-exif:DateTimeOriginal': '2020:01:02 03:04:05-03:00',
      'XMP-exif:GPSLatitude': -22.9519,
      'XMP-exif:GPSLongitude': -43.2105,
    });
    expect(rio!['XMP-xmp:Rating']).toBeUndefined();
  });

  it('dates every copy by its capture: the file on the drive, the object as rclone lists it', async () => {
    expect((await stat(join(drive, '2019/05/IMG_0001.jpg'))).mtimeMs).toBe(ROME_AT);
    expect((await stat(join(drive, '2020/01/IMG_0002.jpg'))).mtimeMs).toBe(RIO_AT);
    const times = await rcloneTimes(
      { endpoint: s3.endpoint, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      `${bucket}/${PREFIX}`,
    );
    expect(times.get('2019/05/IMG_0001.jpg')).toBe(ROME_AT);
    expect(times.get('2020/01/IMG_0002.jpg')).toBe(RIO_AT);
  });

  it('restores each file with its sidecar from the bucket alone, the file dated by its capture', async () => {
    const to = await makeTempDir('lifeboat-sidecar-restore-');
    try {
      const restore = await world.cli(['restore', '--from', 'offsite', '--to', to, '--json'], { env });
      expect(restore.code, restore.describe()).toBe(0);
      expect(restore.json()).toMatchObject({ filesRestored: 2, sidecarsRestored: 2 });
      expect(await hashTree(to, { includeSidecars: true })).toEqual(await hashTree(drive, { includeSidecars: true }));
      expect((await stat(join(to, '2019/05/IMG_0001.jpg'))).mtimeMs).toBe(ROME_AT);
    } finally {
      await removeDir(to);
    }
  });

  it('verify reads the sidecars back with their copies; a lost sidecar is found and repaired', async () => {
    const verify = await world.cli(['verify', 'meta', '--all', '--json'], { env });
    expect(verify.code, verify.describe()).toBe(0);
    await writeFile(join(drive, '2020/01/IMG_0002.jpg.xmp'), 'not the sidecar');
    const damaged = await world.cli(['verify', 'meta', '--all', '--json'], { env });
    expect(damaged.code).not.toBe(0);
    expect(damaged.stdout).toContain('2020/01/IMG_0002.jpg.xmp');
    const repair = await world.cli(['repair', 'meta', '--json'], { env });
    expect(repair.code, repair.describe()).toBe(0);
    const [rio] = await exiftool([join(drive, '2020/01/IMG_0002.jpg.xmp')]);
    expect(rio!['XMP-exif:GPSLatitude']).toBe(-22.9519);
  });

  it('rewrites only the sidecars when only the metadata changed at the source', async () => {
    const before = await stat(join(drive, '2020/01/IMG_0002.jpg'));
    const photos = await hashTree(drive);
    await writeFile(records, JSON.stringify([ROME, { ...RIO, favorite: true, caption: 'Carnival', albums: ['Rio'] }]));
    const run = await world.cli(['run', 'meta', '--json'], { env });
    expect(run.code, run.describe()).toBe(0);
    const report = run.json<RunReport>();
    // Nothing read from the source, nothing copied to either destination: the photos are as they were.
    expect(report).toMatchObject({ ok: true, filesCopied: 0, bytesCopied: 0 });
    for (const d of report.destinations) expect(d).toMatchObject({ filesCopied: 0, bytesCopied: 0 });
    const after = await stat(join(drive, '2020/01/IMG_0002.jpg'));
    expect([after.ino, after.mtimeMs, after.ctimeMs]).toEqual([before.ino, before.mtimeMs, before.ctimeMs]);
    expect(await hashTree(drive)).toEqual(photos);
    const [rio] = await exiftool([join(drive, '2020/01/IMG_0002.jpg.xmp')]);
    expect(rio).toMatchObject({
      'XMP-xmp:Rating': 5,
      'XMP-dc:Description': 'Carnival',
      'XMP-lr:HierarchicalSubject': 'Albums|Rio',
    });
    // The bucket got the same new sidecar.
    expect(await s3.hashes(bucket, PREFIX, { includeSidecars: true })).toEqual(
      await hashTree(drive, { includeSidecars: true }),
    );
  });
});
