/**
 * `plan show` and `run` go through one planning pipeline: on a catalog a killed run left with writes pending
 * (their files complete on the drive, not yet recorded), the preview counts what the run's recovery will record
 * as held, so it announces exactly what the run then copies.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupWorld, createBackupWorld } from '../world.js';

interface Row {
  destination: string;
  key: string;
  source: string;
  asset_id: string;
  kind: string;
  version: string;
}

describe('plan show and run on a catalog with pending writes', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 30, seed: 21 }, ['drive-a']);
    await world.runOk();
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('agree on what is to copy', async () => {
    const db = new DatabaseSync(join(world.home, 'catalog.sqlite'));
    const rows = db
      .prepare('SELECT destination, key, source, asset_id, kind, version FROM copies ORDER BY key LIMIT 7')
      .all() as unknown as Row[];
    expect(rows).toHaveLength(7);
    const forget = db.prepare('DELETE FROM copies WHERE destination = ? AND key = ?');
    const pend = db.prepare(
      `INSERT INTO pending_copies (destination, key, source, asset_id, kind, version, started_at)
       VALUES (?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')`,
    );
    // Five as a run killed between a finished write and its record leaves them: on the drive, pending.
    for (const r of rows.slice(0, 5)) {
      forget.run(r.destination, r.key);
      pend.run(r.destination, r.key, r.source, r.asset_id, r.kind, r.version);
    }
    // Two really missing: not on the drive, not recorded.
    for (const r of rows.slice(5)) {
      forget.run(r.destination, r.key);
      await unlink(join(world.drives[0]!.path, r.key));
    }
    db.close();

    const shown = await world.cli(['plan', 'show', 'main', '--json']);
    expect(shown.code, shown.describe()).toBe(0);
    const report = shown.json<{ toRead: { files: number }; destinations: { name: string; files: number }[] }>();
    expect(report.toRead.files).toBe(2);
    expect(report.destinations.map((d) => [d.name, d.files])).toEqual([['drive-a', 2]]);

    const run = await world.runOk();
    expect(run.filesCopied).toBe(report.toRead.files);
    // ...and once it ran, the preview has nothing left to announce.
    const after = await world.cli(['plan', 'show', 'main', '--json']);
    expect(after.json<{ toRead: { files: number } }>().toRead.files).toBe(0);
  });
});
