import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { DependencyContainer } from 'tsyringe';
import { parseAge } from './app/age.js';
import { CatalogRebuildService } from './app/catalog-rebuild.js';
import { CheckService } from './app/check.js';
import { DaemonService } from './app/daemon.js';
import { DestinationFacts } from './app/destination-facts.js';
import { DestinationInfo } from './app/destination-show.js';
import { DryRunService } from './app/dry-run.js';
import { IndexRebuildService } from './app/index-rebuild.js';
import { InstanceEditService } from './app/instance-edit.js';
import { InstanceService } from './app/instances.js';
import { MetricsService } from './app/metrics.js';
import { OffloadService } from './app/offload.js';
import { PickService } from './app/pick.js';
import { PlanRunner } from './app/plan-run.js';
import { bandwidthOption, PlanService, type PlanSetArgs } from './app/plans.js';
import { PluginAdmin } from './app/plugin-admin.js';
import { RepairService } from './app/repair.js';
import { RestoreService } from './app/restore.js';
import { RunsService } from './app/runs.js';
import { ScheduleService } from './app/schedule.js';
import { SignInService } from './app/sign-in.js';
import { StatusService } from './app/status.js';
import { VerifyService } from './app/verify.js';
import { rebuildCatalog } from './commands/catalog-rebuild.js';
import { printCheck } from './commands/check.js';
import { runDaemon } from './commands/daemon.js';
import { adoptDestination } from './commands/destination-adopt.js';
import { showDestination, showRcloneConfig } from './commands/destination-show.js';
import { rebuildIndexCommand } from './commands/index-rebuild.js';
import { setInstance } from './commands/instance-set.js';
import { addInstance, listInstances, removeInstance } from './commands/instances.js';
import { login } from './commands/login.js';
import { type OffloadArgs, offload } from './commands/offload.js';
import { addPlan, removePlan, showPlan } from './commands/plan.js';
import { setPlan } from './commands/plan-set.js';
import { addPlugin, listPlugins, removePlugin } from './commands/plugins.js';
import { repair } from './commands/repair.js';
import { restore } from './commands/restore.js';
import { runPlan } from './commands/run.js';
import { listRuns, showRun } from './commands/runs.js';
import { installSchedule, uninstallSchedule } from './commands/schedule.js';
import { printStatus } from './commands/status.js';
import { verify } from './commands/verify.js';
import { exitCodeFor, type Io, printError } from './output/io.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** This package's version, as a bug report needs it. */
function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `lifeboat ${pkg.version}`;
}

/** Builds the command line; each action returns the process exit code. */
export function buildCli(c: DependencyContainer, io: Io, setExit: (code: number) => void): Command {
  const program = new Command('lifeboat')
    .description(
      'Independent, verified backups of your photos: iCloud Photos or folders, to drives and the cloud (3-2-1)',
    )
    .version(cliVersion(), '-V, --version', 'print the version of Lifeboat')
    .showHelpAfterError('(run `lifeboat --help` for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  const act =
    <A extends unknown[]>(fn: (...args: A) => number | Promise<number>) =>
    async (...args: A) => {
      const json = args.some((a) => typeof a === 'object' && a !== null && (a as { json?: boolean }).json === true);
      try {
        setExit(await fn(...args));
      } catch (error) {
        printError(io, error, json);
        setExit(exitCodeFor(error));
      }
    };

  for (const kind of ['source', 'destination'] as const) {
    const group = program.command(kind).description(`manage ${kind}s`);
    const add = group
      .command('add <type> <name>')
      .description(`add a ${kind} (see \`lifeboat plugins\` for types)`)
      .option('--set <key=value>', 'a setting (repeatable)', collect, [])
      .option(
        '--secret <key>',
        'a secret setting: asked for on a terminal, else one line of stdin each (repeatable)',
        collect,
        [],
      );
    if (kind === 'destination') {
      add.option('--create', 'create the folder even under /media, /mnt... when the drive there looks unplugged');
    }
    add.action(
      act((type: string, name: string, o: { set: string[]; secret: string[]; create?: boolean }) =>
        addInstance(c.resolve(InstanceService), io, kind, type, name, o.set, o.secret, { create: o.create }),
      ),
    );
    group
      .command('set <name>')
      .description(
        kind === 'destination'
          ? 'change settings, e.g. where a drive that moved is now (it must hold the same backup)'
          : "change a source's settings",
      )
      .option('--set <key=value>', 'a setting (repeatable)', collect, [])
      .option('--secret <key>', 'ask again for a stored secret (terminal prompt, else a line of stdin)', collect, [])
      .action(
        act((name: string, o: { set: string[]; secret: string[] }) =>
          setInstance(c.resolve(InstanceEditService), io, kind, name, o.set, o.secret),
        ),
      );
    group
      .command('remove <name>')
      .description(`forget a ${kind} (files already backed up are kept)`)
      .action(act((name: string) => removeInstance(c.resolve(InstanceService), io, kind, name)));
    group
      .command('list')
      .option('--json', 'print JSON')
      .action(act((o: { json?: boolean }) => listInstances(c.resolve(InstanceService), io, kind, Boolean(o.json))));
    if (kind === 'destination') {
      group
        .command('show <name>')
        .description('a destination: its settings and whether its copies are encrypted')
        .option('--rclone-config', 'print the rclone config that reads an encrypted destination without Lifeboat')
        .option('--json', 'print JSON')
        .action(
          act((name: string, o: { rcloneConfig?: boolean; json?: boolean }) =>
            o.rcloneConfig
              ? showRcloneConfig(c.resolve(DestinationInfo), io, name)
              : showDestination(c.resolve(DestinationInfo), io, name, Boolean(o.json)),
          ),
        );
    }
  }
  program.commands
    .find((group) => group.name() === 'destination')!
    .command('adopt <name>')
    .description(
      "accept the backup now at the destination's location as that destination (a drive replaced on purpose)",
    )
    .action(act((name: string) => adoptDestination(c.resolve(InstanceService), io, name)));

  const plan = program.command('plan').description('manage backup plans');
  plan
    .command('add <name>')
    .description('add a plan: which sources go to which destinations')
    .addOption(new Option('--source <name>', 'a source (repeatable)').argParser(collect).default([]))
    .addOption(new Option('--destination <name>', 'a destination (repeatable)').argParser(collect).default([]))
    .option('--schedule <spec>', 'hourly, daily@HH:MM, weekly:<day>@HH:MM, "every <N>s|m|h" or a cron expression')
    .action(
      act((name: string, o: { source: string[]; destination: string[]; schedule?: string }) =>
        addPlan(c.resolve(PlanService), io, name, o.source, o.destination, o.schedule),
      ),
    );
  plan
    .command('set <name>')
    .description("change a plan's sources, destinations, schedule, scrub and notifications")
    .option('--add-source <name>', 'copy this source too (repeatable)', collect)
    .option('--remove-source <name>', 'stop copying this source; its copies are kept (repeatable)', collect)
    .option('--add-destination <name>', 'copy to this destination too (repeatable)', collect)
    .option('--remove-destination <name>', 'stop copying there; its copies are kept (repeatable)', collect)
    .option(
      '--schedule <spec|off>',
      'hourly, daily@HH:MM, weekly:<day>@HH:MM, "every <N>s|m|h", a cron expression, or off',
    )
    .option('--scrub <spec|off>', 'when the daemon reads back a sample of the copies (a schedule spec), or off')
    .option('--scrub-sample <percent>', 'the share of copies each scrub reads back (default 5)')
    .option('--notify-command <"program args"|off>', 'run this on each event, the event JSON on stdin (no shell)')
    .option('--bwlimit <rate|off>', 'bandwidth limit of its runs, all sources together: 20M (MiB/s), 512K, or off')
    .option(
      '--notify-webhook <on|off>',
      'on: POST each event as JSON to a URL read from stdin or a prompt (kept in the keychain)',
    )
    .option('--offload <rule|off>', 'the daemon offloads after each ok run, e.g. "older-than=365d,keep-favorites"')
    .option('--offload-move <on|off>', "on: the daemon's offload moves photos (default off: it only logs a dry run)")
    .action(
      act((name: string, o: PlanSetArgs) => setPlan(c.resolve(PlanService), c.resolve(DestinationFacts), io, name, o)),
    );
  plan
    .command('remove <name>')
    .description('forget a plan (its backups are kept)')
    .action(act((name: string) => removePlan(c.resolve(PlanService), io, name)));
  plan
    .command('show <name>')
    .description('what a run would copy, free space, and the 3-2-1 check; changes nothing')
    .option('--json', 'print JSON')
    .action(
      act((name: string, o: { json?: boolean }) => showPlan(c.resolve(DryRunService), io, name, Boolean(o.json))),
    );

  program
    .command('daemon')
    .description('run scheduled plans when due, until stopped (SIGTERM/SIGINT stop it cleanly)')
    .addOption(new Option('--tick <ms>', 'how often due plans are looked for').default('1000').hideHelp())
    .addOption(new Option('--log-max-bytes <n>', 'rotate daemon.log past this size').hideHelp())
    .option('--metrics <host:port>', 'serve Prometheus /metrics and /healthz there (e.g. 127.0.0.1:9464)')
    .action(
      act((o: { tick: string; logMaxBytes?: string; metrics?: string }) =>
        runDaemon(c.resolve(DaemonService), c.resolve(VerifyService), io, {
          tickMs: Number(o.tick),
          ...(o.logMaxBytes ? { logMaxBytes: Number(o.logMaxBytes) } : {}),
          ...(o.metrics ? { metrics: { listen: o.metrics, service: c.resolve(MetricsService) } } : {}),
        }),
      ),
    );
  const runs = program
    .command('runs')
    .description('the run history: what each run copied, skipped and failed')
    .option('--plan <name>', 'only this plan')
    .option('--json', 'print JSON')
    .action(
      act((o: { plan?: string; json?: boolean }) => listRuns(c.resolve(RunsService), io, o.plan, Boolean(o.json))),
    );
  runs
    .command('show <id>')
    .description('one run: each file copied and failed, and how many were already there')
    .option('--json', 'print JSON')
    // `runs show 3 --json`: commander hands --json to `runs`, whose option it also is.
    .action(
      act((id: string, o: { json?: boolean }) =>
        showRun(c.resolve(RunsService), io, id, Boolean(o.json || runs.opts().json)),
      ),
    );
  const schedule = program.command('schedule').description("put plans' schedules into the OS scheduler");
  schedule
    .command('install')
    .description('write a systemd timer, launchd agent, Task Scheduler task or crontab line per scheduled plan')
    .option('--plan <name>', 'only this plan')
    .addOption(
      new Option('--flavour <flavour>', "the scheduler (default: this OS's)").choices([
        'systemd',
        'launchd',
        'windows',
        'cron',
      ]),
    )
    .action(act((o: { plan?: string; flavour?: string }) => installSchedule(c.resolve(ScheduleService), io, o)));
  schedule
    .command('uninstall')
    .description('remove exactly what `schedule install` added')
    .option('--plan <name>', 'only this plan')
    .action(act((o: { plan?: string }) => uninstallSchedule(c.resolve(ScheduleService), io, o)));
  program
    .command('check')
    .description('exit non-zero when a plan has no recent success, a destination is unreachable, or a sign-in is due')
    .option('--max-age <duration>', 'how recent the last success must be (e.g. 26h, 2d)', '26h')
    .option('--plan <name>', 'only this plan')
    .option('--timeout <duration>', 'how long each destination and source may take to answer', '30s')
    .option('--json', 'print JSON')
    .action(
      act(async (o: { maxAge: string; plan?: string; json?: boolean; timeout: string }) => {
        const maxAgeMs = parseAge(o.maxAge);
        const deadlineMs = parseAge(o.timeout, '--timeout');
        const result = await c
          .resolve(CheckService)
          .check({ maxAgeMs, maxAgeText: o.maxAge, deadlineMs, ...(o.plan ? { plan: o.plan } : {}) });
        return printCheck(io, result, o.maxAge, Boolean(o.json));
      }),
    );
  program
    .command('run <plan>')
    .description('back up now')
    .option('--json', 'print the run summary as JSON')
    .option('--wait <duration>', 'if the plan is already running, wait up to this long (e.g. 10m) instead of refusing')
    .option(
      '--bwlimit <rate>',
      "bandwidth limit, all sources together: 20M (MiB/s), 512K, or off (overrides the plan's)",
    )
    .option('--checksum', 're-read source files whose size and time are unchanged, to find changed bytes (slow)')
    .action(
      act((name: string, o: { json?: boolean; wait?: string; bwlimit?: string; checksum?: boolean }) =>
        runPlan(
          c.resolve(PlanRunner),
          io,
          name,
          Boolean(o.json),
          o.wait ? parseAge(o.wait, '--wait') : undefined,
          o.bwlimit === undefined ? undefined : (bandwidthOption(o.bwlimit, '--bwlimit') ?? null),
          Boolean(o.checksum),
        ),
      ),
    );
  program
    .command('login <source>')
    .description('sign in to a source that needs it (iCloud), with two-factor authentication')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('--code <code>', 'the verification code (for scripts)')
    .option('--method <id>', 'receive the code another way, e.g. by SMS to a phone')
    .action(
      act((name: string, o: { passwordStdin?: boolean; code?: string; method?: string }) =>
        login(c.resolve(SignInService), io, name, { ...o, passwordStdin: Boolean(o.passwordStdin) }),
      ),
    );
  program
    .command('status')
    .description('copies per destination, last runs, files gone from the source')
    .option('--json', 'print JSON')
    .action(
      act(async (o: { json?: boolean }) => printStatus(io, await c.resolve(StatusService).report(), Boolean(o.json))),
    );
  program
    .command('offload <source>')
    .description(
      'free space in the source: move to its Recently Deleted only photos verified on a 3-2-1 backup (dry run unless --yes)',
    )
    .option('--older-than <duration>', 'only photos taken before this long ago (e.g. 365d)')
    .option('--keep-favorites', 'keep favourites in the source')
    .option('--keep-album <name>', 'keep photos of this album in the source (repeatable)', collect, [])
    .option('--max <n>', 'move at most this many photos in this run')
    .option('--verified-within <duration>', 'every vouching copy read back and matched within this', '7d')
    .option('--min-copies <n>', 'copies needed outside the source (default 3; never below 2, always one offsite)')
    .option('--yes', 'really move them (otherwise nothing is changed)')
    .option('--json', 'print JSON, per photo')
    .action(act((source: string, o: OffloadArgs) => offload(c.resolve(OffloadService), io, source, o)));
  program
    .command('restore')
    .description(
      'restore files from a destination (its own index) or pick them straight from a source (iCloud, a folder)',
    )
    .option('--from <destination|source>', 'a configured destination or source, or the path of a backup folder')
    .option('--type <type>', 'restore from an unconfigured destination of this type (with --set and --secret)')
    .option('--set <key=value>', 'a setting of that destination (repeatable)', collect, [])
    .option(
      '--secret <key>',
      'a secret of that destination: asked for, or one line of stdin each (repeatable)',
      collect,
      [],
    )
    .requiredOption('--to <dir>', 'folder to restore into')
    .option('--since <YYYY-MM-DD>', 'captured on or after this day')
    .option('--until <YYYY-MM-DD>', 'captured on or before this day')
    .option('--match <glob>', 'file name or path glob, e.g. "*.HEIC"; also tried on the path in a folder source')
    .option('--album <name>', 'only the photos of this album: its name, or Folder/Album (repeatable)', collect, [])
    .option('--favorites', 'from a source: only favourites')
    .option('--kind <photo|video|live>', 'from a source: photos (Live ones included), videos, or Live Photos only')
    .option('--include <flags>', 'from a source: companions to bring, of liveVideos,raw,edited (default all; none)')
    .option('--sidecars <xmp|none>', 'from a source: an XMP sidecar beside each file (default xmp), or none')
    .option('--dry-run', 'from a source: list what would come and its size; download nothing')
    .option(
      '--rclone-crypt',
      'the folder or store was written by rclone copy into a crypt remote (no Lifeboat index): decrypt and restore every file',
    )
    .option('--offloaded', 'only the photos `lifeboat offload` moved out of their source (from the catalog)')
    .option('--offloaded-since <YYYY-MM-DD>', 'only the photos offloaded on or after this day')
    .option('--json', 'print JSON')
    .action(
      act(
        (o: {
          rcloneCrypt?: boolean;
          offloaded?: boolean;
          offloadedSince?: string;
          from?: string;
          type?: string;
          set: string[];
          secret: string[];
          to: string;
          since?: string;
          until?: string;
          match?: string;
          album: string[];
          favorites?: boolean;
          kind?: string;
          include?: string;
          sidecars?: string;
          dryRun?: boolean;
          json?: boolean;
        }) => restore(c.resolve(RestoreService), c.resolve(PickService), io, { ...o, json: Boolean(o.json) }),
      ),
    );
  program
    .command('verify <destination|plan>')
    .description('read copies back and check their size and sha256: missing, damaged and unexpected files')
    .option('--sample <percent>', 'read back only this share, least recently verified first (e.g. 5)')
    .option('--all', 'read back every copy (the default)')
    .option('--json', 'print JSON')
    .action(
      act((target: string, o: { sample?: string; all?: boolean; json?: boolean }) =>
        verify(c.resolve(VerifyService), io, target, { ...o, json: Boolean(o.json) }),
      ),
    );
  program
    .command('repair <destination|plan>')
    .description('re-create missing or damaged copies from a healthy copy elsewhere, or from the source')
    .option('--json', 'print JSON')
    .action(
      act((target: string, o: { json?: boolean }) =>
        repair(c.resolve(RepairService), io, target, { json: Boolean(o.json) }),
      ),
    );
  program
    .command('index')
    .description("a destination's own index (what a restore from the drive alone reads)")
    .command('rebuild <path|destination>')
    .description('rebuild the index and marker from the files (sha256 of each); damaged parts are set aside')
    .option('--json', 'print JSON')
    .action(
      act((target: string, o: { json?: boolean }) =>
        rebuildIndexCommand(c.resolve(IndexRebuildService), io, target, Boolean(o.json)),
      ),
    );
  program
    .command('catalog')
    .description("this machine's record of every copy (rebuilt from the destinations when damaged)")
    .command('rebuild')
    .description("move a damaged catalog aside and rebuild it from each destination's own index")
    .option('--json', 'print JSON')
    .action(act((o: { json?: boolean }) => rebuildCatalog(c.resolve(CatalogRebuildService), io, Boolean(o.json))));
  const plugins = program
    .command('plugins')
    .description('installed plugins, what they contribute, their state')
    .option('--json', 'print JSON')
    .action(act((o: { json?: boolean }) => listPlugins(c.resolve(PluginAdmin), io, Boolean(o.json))));
  plugins
    .command('add <npm-package|path>')
    .description('install a plugin from the npm registry or a folder (runs npm install, without install scripts)')
    .option('--allow-scripts', "let npm run the install scripts of the plugin's dependencies")
    .action(
      act((spec: string, o: { allowScripts?: boolean }) =>
        addPlugin(c.resolve(PluginAdmin), io, spec, Boolean(o.allowScripts)),
      ),
    );
  plugins
    .command('remove <id>')
    .description('uninstall a plugin that no source or destination uses')
    .action(act((id: string) => removePlugin(c.resolve(PluginAdmin), io, id)));
  return program;
}

/** Runs the CLI; returns the exit code (commander's own errors: usage → 2, help/version → 0). */
export async function runCli(c: DependencyContainer, io: Io, argv: string[]): Promise<number> {
  let code = 0;
  const program = buildCli(c, io, (n) => (code = n));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return code;
}
