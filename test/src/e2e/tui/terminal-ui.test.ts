/**
 * Issue 7's end-to-end test: the built `lifeboat` with no arguments in a real terminal (tmux, 100x30), against
 * the simulated iCloud and fauxqs. It types through the first-run wizard (iCloud sign-in with a 2FA code, two
 * disk destinations and an S3 bucket), saves a plan, runs it, reads the counts on the dashboard, deletes photos
 * in the simulator, runs again and sees them reported as gone and kept, then restores three photos through the
 * restore browser. Every asserted screen is saved under test/artifacts/tui/ (the README shows them).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cliPath, lifeboat, makeTempDir, removeDir, repoRoot, walkFiles } from '../cli.js';
import { listedStates, readIndex, secretsEnv, usesKeychain } from '../icloud/icloud-world.js';
import { ACCESS_KEY_ID, type S3Server, SECRET_ACCESS_KEY, startS3Server } from '../s3/s3-world.js';
import { assertTmux, startTerminal, type Terminal } from './tmux.js';

const ARTEFACTS = join(repoRoot, 'test', 'artifacts', 'tui');
// Keychain entries are named after the source and destination, and under scripts/test.sh the keyring is shared by
// the whole run: unique names there; the wizard's own defaults otherwise (the secrets then go to a vault in the
// test's LIFEBOAT_HOME).
const tag = randomBytes(3).toString('hex');
const SOURCE = usesKeychain() ? `icloud-${tag}` : 'icloud';
const OFFSITE = usesKeychain() ? `offsite-${tag}` : 'offsite';

describe('the terminal UI in a real terminal', () => {
  let sim: Simulator;
  let s3: S3Server;
  let bucket: string;
  let root: string;
  let term: Terminal;

  beforeAll(async () => {
    assertCliBuilt();
    assertTmux();
    rmSync(ARTEFACTS, { recursive: true, force: true });
    makeDirsSync(ARTEFACTS);
    sim = await startSimulator({ assets: 12, sharedAssets: 0 });
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    root = await makeTempDir('lifeboat-tui-e2e-');
    term = await startTerminal({
      command: [process.execPath, cliPath],
      env: {
        PATH: `${join(process.execPath, '..')}:/usr/bin:/bin`,
        HOME: root,
        LIFEBOAT_HOME: join(root, 'home'),
        NO_COLOR: '1',
        TERM: 'xterm-256color',
        // CI machines set CI, and Ink alone would then draw nothing in a terminal until exit: the UI must not care.
        CI: 'true',
        ...secretsEnv(),
        ...passThrough(['DBUS_SESSION_BUS_ADDRESS', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR']),
      },
      columns: 100,
      rows: 30,
      artefacts: ARTEFACTS,
    });
  }, 60_000);

  afterAll(async () => {
    await term?.kill();
    await sim?.stop();
    await s3?.stop();
    if (root && !process.env.LIFEBOAT_KEEP_E2E) await removeDir(root);
  });

  /** Moves down a form or list until the focused row starts with `label`. */
  async function focus(label: string): Promise<void> {
    for (let i = 0; i < 30; i++) {
      const before = await term.screen();
      if (before.split('\n').some((l) => l.trimStart().startsWith(`> ${label}`))) return;
      await term.keys('Down');
      // One step at a time: wait for the redraw, so a slow frame never makes it skip past the row.
      for (let t = 0; t < 20 && (await term.screen()) === before; t++) await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no row "${label}" to focus:\n${await term.screen()}`);
  }

  it('sets up iCloud, two drives and S3, backs up, reports deletions as kept, and restores', async () => {
    const driveA = join(root, 'drive-a');
    const driveB = join(root, 'drive-b');

    // First run: the wizard opens by itself.
    await term.waitFor('> iCloud Photos');
    expect(await term.save('wizard-source')).toContain('step 1 of 3');
    await term.keys('Enter');
    await term.waitFor('Apple ID *');
    await term.keys('C-u');
    await term.type(SOURCE);
    await focus('Apple ID');
    await term.type(sim.account.appleId);
    await focus('Auth URL');
    await term.type(sim.authUrl);
    await focus('Setup URL');
    await term.type(sim.setupUrl);
    await focus('[ Save ]');
    await term.save('wizard-icloud-form');
    await term.keys('Enter');

    // Sign-in: the password is masked, then the code from a trusted device.
    await term.waitFor(`Apple Account password for ${sim.account.appleId}`);
    await term.type(sim.account.password);
    const masked = await term.save('wizard-password');
    expect(masked).toContain('•'.repeat(sim.account.password.length));
    expect(masked).not.toContain(sim.account.password);
    await term.keys('Enter');
    await term.waitFor('Code:');
    await term.type(sim.account.code);
    await term.save('wizard-2fa-code');
    await term.keys('Enter');
    expect(await term.waitFor('SIGNED IN')).toContain(`"${SOURCE}" is ready`);
    await term.keys('Enter');

    // Destinations: two folders (free space and the same-disk warning shown), then S3 with its connection test.
    await term.waitFor('step 2 of 3');
    await term.waitFor('Copies so far: none.');
    await term.waitFor('> Add a drive or folder');
    for (const [name, path] of [
      ['drive-a', driveA],
      ['drive-b', driveB],
    ] as const) {
      await term.keys('Enter');
      await term.waitFor('Path *');
      await term.keys('C-u');
      await term.type(name);
      await focus('Path');
      await term.type(path);
      const form = await term.waitFor('Free space there');
      const sameDisk = statSync(root).dev === statSync('/').dev;
      expect(form.includes('same disk as the system')).toBe(sameDisk);
      if (name === 'drive-a') await term.save('wizard-disk-form');
      await focus('[ Test and save ]');
      await term.keys('Enter');
      await term.waitFor(`Destination "${name}" ready`);
      await term.waitFor(/3-2-1 .* NOT MET/);
    }
    expect(await term.save('wizard-two-drives')).toMatch(/NOT MET[\s\S]*Add an offsite/);

    await focus('Add S3-compatible storage');
    await term.keys('Enter');
    await term.waitFor('Bucket *');
    await term.keys('C-u');
    await term.type(OFFSITE);
    await focus('Bucket');
    await term.type(bucket);
    await focus('Endpoint');
    await term.type(s3.endpoint);
    await focus('Force path style');
    await term.keys('Space');
    await focus('Access key ID');
    await term.type(ACCESS_KEY_ID);
    await focus('Secret access key');
    await term.type(SECRET_ACCESS_KEY);
    const s3form = await term.save('wizard-s3-form');
    expect(s3form).not.toContain(SECRET_ACCESS_KEY);
    expect(s3form).toContain('•'.repeat(SECRET_ACCESS_KEY.length));
    await focus('[ Test and save ]');
    await term.keys('Enter');
    await term.waitFor(`Destination "${OFFSITE}" ready`);
    const met = await term.waitFor(/3-2-1 .*OK/);
    expect(met).toMatch(/4 copies .* 2 kinds of media .* 1 offsite/);
    await term.save('wizard-three-destinations');
    const config = readFileSync(join(root, 'home', 'config.json'), 'utf8');
    expect(config).not.toContain(SECRET_ACCESS_KEY);
    expect(config).not.toContain(sim.account.password);

    // The plan: everything ticked, the meter says OK; saving lands on the dashboard.
    await focus('Continue: make a plan');
    await term.keys('Enter');
    await term.waitFor('step 3 of 3');
    await focus('[ Dry run');
    await term.keys('Enter');
    const dry = await term.waitFor(/drive-b .* enough space/);
    expect(dry).toMatch(new RegExp(`Dry run: ${listedStates(sim.library).length} assets; the first run reads`));
    expect(dry).toMatch(new RegExp(`${OFFSITE}\\s+\\d+ files, .*free space unknown`));
    expect(dry).toMatch(/Layout \{yyyy\}\/\{mm\}\/\{name\}, e\.g\.:\s+\d{4}\/\d\d\//);
    await focus('[ Save the plan ]');
    expect(await term.save('wizard-plan')).toMatch(new RegExp(`\\[x\\] ${OFFSITE}[\\s\\S]*OK`));
    await term.keys('Enter');
    await term.waitFor('NOT RUN YET');

    // First run, then the dashboard's counts.
    const assets = listedStates(sim.library).length;
    await term.keys('r');
    const run = await term.waitFor(/BACKUP COMPLETE|FINISHED WITH PROBLEMS|could not/, 60_000);
    await term.save('run-first');
    expect(run).toContain('BACKUP COMPLETE');
    expect(run).toMatch(/errors: 0/);
    await term.keys('Enter');
    const home = await term.waitFor('PLANS');
    for (const d of ['drive-a (disk)', 'drive-b (disk)', `${OFFSITE} (s3)`]) {
      expect(home).toMatch(new RegExp(`${escapeRegExp(d)}\\s+${assets}\\s`));
    }
    expect(home).toMatch(/photos\s+today \d\d:\d\d ok, \d+ new\s+not scheduled\s+OK/);
    expect(home).toContain('3-2-1 of "photos": 4 copies · 2 media · 1 offsite');
    await term.save('dashboard-after-first-run');
    // NO_COLOR is honoured: no colour codes at all (bold stays), and every state is said in words.
    // (SGR 30-38 and 90-97 set a colour; 39 and 49 only reset it.)
    const setsColour = new RegExp(`${String.fromCharCode(27)}\\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]`);
    expect(await term.screen(true)).not.toMatch(setsColour);

    // The dashboard at 80x24 still shows everything, the help line included.
    await term.resize(80, 24);
    // Redrawn for the new size: the title on the first row, the help line on the last.
    const small = await term.waitFor(/^ Lifeboat .*\n[\s\S]*\[q\] quit\s*$/);
    const rows = small.replace(/\n$/, '').split('\n');
    expect(rows).toHaveLength(24);
    expect(rows.every((l) => l.length <= 80)).toBe(true);
    expect(rows[23]).toContain('[r] run');
    expect(small).toContain(`${OFFSITE} (s3)`);
    await term.save('dashboard-80x24');
    await term.resize(100, 30);
    await term.waitFor(/^ Lifeboat .{80,}/);

    // A schedule from the preset, with its next runs; home then says nothing runs it yet (no daemon, not installed).
    await term.keys('s');
    const schedule = await term.waitFor('OK: daily at 02:00');
    expect(schedule.match(/\d{4}-\d\d-\d\d 02:00:00/g)).toHaveLength(3);
    await term.keys('Enter');
    await term.waitFor('schedule daily at 02:00');
    await term.save('schedule');
    await term.keys('Escape');
    const scheduled = await term.waitFor(/photos .* NOT ACTIVE\s+OK/);
    expect(scheduled).not.toContain('runs only when asked');
    expect(scheduled).toContain('"photos" has a schedule but nothing runs it');

    // Photos deleted in iCloud: the next run keeps their copies and the dashboard says so.
    // Plain names, so the list can be checked by name (the simulator also serves hostile ones, shown sanitised).
    const stills = listedStates(sim.library).filter(
      (s) => s.spec.kind !== 'video' && /^\w+\.\w+$/.test(s.spec.filename),
    );
    sim.library.delete({ indexes: stills.slice(-3).map((s) => s.index) });
    await term.keys('r');
    await term.waitFor(/BACKUP COMPLETE|FINISHED WITH PROBLEMS/, 60_000);
    expect(await term.save('run-after-deletions')).toContain('3 photos gone from the source (3 new this run) — all');
    await term.keys('Enter');
    const gone = await term.waitFor('gone from iCloud');
    expect(gone).toContain('3 photos gone from iCloud — all kept on 3 destinations');
    await term.save('dashboard-gone-kept');
    await term.keys('g');
    const list = await term.waitFor('Gone from the sources');
    for (const s of stills.slice(-3)) expect(list).toContain(s.spec.filename);
    await term.save('gone-list');
    await term.keys('Escape');
    await term.waitFor('PLANS');

    // Restore three photos from drive-a through the browser: a search, then year › month and three picks.
    await term.keys('b');
    await term.waitFor('choose a destination');
    await term.keys('Enter');
    await term.waitFor('all years');
    await term.keys('/');
    await term.type('IMG_0002');
    await term.keys('Enter');
    const found = await term.waitFor('search "IMG_0002"');
    expect(found).toMatch(/IMG_0002\.HEIC[\s\S]*IMG_0002\.MOV/);
    await term.save('restore-search');
    await term.keys('Escape');
    await term.waitFor(/Browse · drive-a · all years\s/);
    await term.keys('Enter');
    await term.waitFor(/all years › \d{4}/);
    await term.keys('End', 'Enter');
    await term.waitFor(/all years › \d{4} › \d\d/);
    await term.keys('Space', 'Down', 'Space', 'Down', 'Space');
    const picked = await term.waitFor('3 files selected');
    await term.save('restore-selected');
    const target = join(root, 'restored');
    await term.keys('r');
    await term.waitFor('Restore to:');
    await term.keys('C-u');
    await term.type(target);
    await term.keys('Enter');
    const restored = await term.waitFor(/RESTORED .* 3 \/ 3 files/);
    await term.save('restore-done');
    expect(restored).toContain(target);

    // The three restored files are byte-identical to the copies the index lists.
    const index = await readIndex(driveA);
    const files = await walkFiles(target);
    expect(files).toHaveLength(3);
    for (const rel of files) {
      const entry = index.find((e) => e.key === rel);
      expect(entry, `${rel} is a copy in drive-a's index`).toBeDefined();
      expect(sha256(join(target, rel))).toBe(entry!.sha256);
      expect(picked).toContain(entry!.fileName);
    }

    // Quit: the program ends cleanly.
    await term.keys('Enter');
    await term.waitFor('PLANS');
    await term.keys('q');
    expect(await term.waitFor('[exited 0]')).toContain('[exited 0]');
  }, 110_000);
});

describe('lifeboat with no arguments and no terminal', () => {
  it('prints the help instead of opening the UI', async () => {
    assertCliBuilt();
    const root = await makeTempDir('lifeboat-tui-e2e-');
    try {
      const result = await lifeboat([], { home: join(root, 'home') });
      expect(result.code, result.describe()).toBe(0);
      expect(result.stdout).toContain('Usage: lifeboat');
    } finally {
      await removeDir(root);
    }
  });
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function passThrough(names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (process.env[n] ? [[n, process.env[n]!]] : [])));
}
