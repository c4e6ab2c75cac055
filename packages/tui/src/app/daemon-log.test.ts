import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDaemonState, writeDaemonState } from '../state/daemon-state.js';
import { daemonLog } from './daemon-log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-daemon-log-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('daemonLog', () => {
  it('writes JSON lines and rotates by size, keeping a few files', () => {
    const log = daemonLog(dir, { maxBytes: 400, keep: 2 });
    for (let i = 0; i < 40; i++) log.info(`line ${i}`, { i });
    expect(readdirSync(dir).sort()).toEqual(['daemon.log', 'daemon.log.1', 'daemon.log.2']);
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).length).toBeLessThanOrEqual(400);
    const last = readFileSync(join(dir, 'daemon.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(last.at(-1)).toMatchObject({ level: 'info', message: 'line 39', i: 39 });
    const older = readFileSync(join(dir, 'daemon.log.1'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).i);
    expect(older.at(-1)).toBe(last[0].i - 1); // nothing lost between the newest files
  });
});

describe('daemon state', () => {
  it('round-trips, and starts empty when missing or unreadable', () => {
    const file = join(dir, 'state', 'daemon-state.json');
    expect(readDaemonState(file)).toEqual({ plans: {} });
    writeDaemonState(file, { plans: { main: { lastRunAt: '2026-01-01T00:00:00.000Z' } } });
    expect(readDaemonState(file).plans.main?.lastRunAt).toBe('2026-01-01T00:00:00.000Z');
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
    writeDaemonState(file, { plans: {} });
    writeFileSync(file, '{"plans": ');
    expect(readDaemonState(file)).toEqual({ plans: {} });
  });
});
