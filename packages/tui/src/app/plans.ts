import {
  ConfigError,
  type ConfigStore,
  type PlanConfig,
  parseBandwidth,
  parseSchedule,
  type SecretStore,
  UsageError,
  WEBHOOK_SECRET_KEY,
  webhookScope,
} from '@lifeboat/core';
import { refuseNestedFolders } from '../state/nesting.js';
import { inject, injectable } from './di.js';
import { requireInstance } from './instances.js';
import { setPlanOffload } from './offload-spec.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';

export interface PlanSetArgs {
  schedule?: string;
  scrub?: string;
  scrubSample?: string;
  notifyCommand?: string;
  /** A bandwidth (`20M`) or `off`. */
  bwlimit?: string;
  /** `on`: the URL (a secret) is asked for (PlanService.set's `webhookUrl`); `off`: remove it. */
  notifyWebhook?: string;
  /** An offload rule for the daemon (see offload-spec.ts) or `off`. */
  offload?: string;
  /** `on`: the daemon's offload moves photos; `off` (the default): it only logs what it would move. */
  offloadMove?: string;
  addSource?: string[];
  removeSource?: string[];
  addDestination?: string[];
  removeDestination?: string[];
}

const OFF = 'off';

/** Validates a `--schedule` value: a spec croner understands, or `off`. */
export function scheduleOption(spec: string): string | undefined {
  return spec.trim().toLowerCase() === OFF ? undefined : parseSchedule(spec).spec;
}

/** Validates a bandwidth option (`20M`, `512K`, `off`): bytes per second, undefined for no limit. */
export function bandwidthOption(text: string, option = '--bwlimit'): number | undefined {
  try {
    return parseBandwidth(text);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`, {
      hint: 'Give bytes per second with a unit, as rclone takes it: 20M is 20 MiB/s; off for no limit',
    });
  }
}

/** Adding, changing and removing backup plans. */
@injectable()
export class PlanService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.secrets) private readonly secrets: Lazy<SecretStore>,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** Adds a plan: which sources go to which destinations, and when (a schedule spec); returns the schedule. */
  async add(
    name: string,
    sources: string[],
    destinations: string[],
    scheduleSpec?: string,
  ): Promise<{ schedule?: string }> {
    const config = this.config.read();
    if (config.plans[name])
      throw new UsageError(`A plan named "${name}" already exists`, { hint: 'Pick another name' });
    if (sources.length === 0 || destinations.length === 0) {
      throw new UsageError('A plan needs at least one --source and one --destination');
    }
    for (const s of sources) requireInstance('source', s, config.sources);
    for (const d of destinations) requireInstance('destination', d, config.destinations);
    refuseNestedFolders(await this.plugins.host(), config, { sources, destinations });
    const schedule = scheduleSpec === undefined ? undefined : scheduleOption(scheduleSpec);
    config.plans[name] = { sources, destinations, ...(schedule ? { schedule } : {}) };
    this.config.write(config);
    return schedule ? { schedule } : {};
  }

  /** The destinations a plan copies to. */
  destinationsOf(name: string): string[] {
    const plan = this.config.read().plans[name];
    if (!plan) throw new ConfigError(`No plan named "${name}"`, { hint: 'See `lifeboat status` for plans' });
    return plan.destinations;
  }

  /** Forgets a plan and its webhook URL; its backups and history are kept. */
  async remove(name: string): Promise<void> {
    const config = this.config.read();
    if (!config.plans[name])
      throw new UsageError(`No plan named "${name}"`, { hint: 'See `lifeboat status` for plans' });
    const hadWebhook = config.plans[name]?.notify?.webhook;
    delete config.plans[name];
    this.config.write(config);
    if (hadWebhook) await this.secrets().delete(webhookScope(name), WEBHOOK_SECRET_KEY);
  }

  /**
   * Changes a plan's schedule, scrub and notifications; everything else stays as it was. `webhookUrl` is asked
   * only when the webhook is turned on. Returns what changed, in words.
   */
  async set(name: string, args: PlanSetArgs, webhookUrl?: () => Promise<string>): Promise<string[]> {
    const store = this.config;
    const config = store.read();
    const plan = config.plans[name];
    if (!plan) throw new ConfigError(`No plan named "${name}"`, { hint: 'See `lifeboat status` for plans' });
    if (Object.values(args).every((v) => v === undefined)) {
      throw new UsageError('Nothing to change', {
        hint: 'Give --schedule, --scrub, --scrub-sample, --bwlimit, --notify-command, --notify-webhook, --offload, --offload-move, --add-source, --remove-source, --add-destination or --remove-destination',
      });
    }
    const changes: string[] = [];
    changes.push(...changeMembers(plan, 'source', config.sources, args.addSource, args.removeSource, name));
    changes.push(
      ...changeMembers(plan, 'destination', config.destinations, args.addDestination, args.removeDestination, name),
    );
    if (args.schedule !== undefined) {
      setOrDelete(plan, 'schedule', scheduleOption(args.schedule));
      changes.push(plan.schedule ? `schedule ${parseSchedule(plan.schedule).describe}` : 'no schedule');
    }
    if (args.scrub !== undefined || args.scrubSample !== undefined) changes.push(setScrub(plan, args));
    if (args.offload !== undefined || args.offloadMove !== undefined) {
      changes.push(setPlanOffload(plan, args.offload, args.offloadMove));
    }
    if (args.bwlimit !== undefined) {
      const limit = bandwidthOption(args.bwlimit);
      setOrDelete(plan, 'bwlimit', limit === undefined ? undefined : args.bwlimit.trim());
      changes.push(
        limit === undefined ? 'no bandwidth limit' : `bandwidth limit ${args.bwlimit.trim()} (${limit} bytes/s)`,
      );
    }
    if (args.notifyCommand !== undefined) {
      const command = args.notifyCommand.trim().toLowerCase() === OFF ? undefined : splitCommand(args.notifyCommand);
      setNotify(plan, 'command', command);
      changes.push(command ? `notification command ${command[0]}` : 'no notification command');
    }
    if (args.notifyWebhook !== undefined) {
      const value = args.notifyWebhook.trim().toLowerCase();
      const secrets = this.secrets();
      if (value === OFF) {
        await secrets.delete(webhookScope(name), WEBHOOK_SECRET_KEY);
        setNotify(plan, 'webhook', undefined);
        changes.push('no webhook');
      } else if (value === 'on') {
        if (!webhookUrl) throw new UsageError('A webhook URL is needed', { hint: 'Turn the webhook on from the CLI' });
        const url = (await webhookUrl()).trim();
        if (!/^https?:\/\/[^\s]+$/i.test(url)) {
          throw new UsageError('The webhook URL must start with http:// or https://', {
            hint: 'Give the full URL on a line of standard input (or at the prompt); it is kept in the keychain',
          });
        }
        await secrets.set(webhookScope(name), WEBHOOK_SECRET_KEY, url);
        setNotify(plan, 'webhook', true);
        changes.push(`webhook (its URL is kept in ${secrets.describe()})`);
      } else {
        throw new UsageError(`--notify-webhook takes "on" or "off", not "${args.notifyWebhook}"`, {
          hint: 'The URL itself is read from standard input or a prompt, never from the command line',
        });
      }
    }
    store.write(config);
    return changes;
  }
}

/** Adds and removes a plan's sources or destinations; a plan keeps at least one of each. */
function changeMembers(
  plan: PlanConfig,
  kind: 'source' | 'destination',
  known: Record<string, unknown>,
  add: string[] = [],
  remove: string[] = [],
  planName = '',
): string[] {
  const key = kind === 'source' ? 'sources' : 'destinations';
  const changes: string[] = [];
  let members = [...plan[key]];
  for (const name of remove) {
    if (!members.includes(name)) {
      throw new UsageError(`Plan "${planName}" has no ${kind} "${name}"`, {
        hint: `Its ${key}: ${members.join(', ')}`,
      });
    }
    members = members.filter((m) => m !== name);
    changes.push(`${kind} ${name} removed (its copies are kept)`);
  }
  for (const name of add) {
    requireInstance(kind, name, known);
    if (members.includes(name)) continue;
    members.push(name);
    changes.push(`${kind} ${name} added`);
  }
  if (members.length === 0) {
    throw new UsageError(`A plan needs at least one ${kind}`, {
      hint: `Add another in the same command (--add-${kind} <name>), or remove the plan: \`lifeboat plan remove ${planName}\``,
    });
  }
  plan[key] = members;
  return changes;
}

function setScrub(plan: PlanConfig, args: PlanSetArgs): string {
  if (args.scrub?.trim().toLowerCase() === OFF) {
    delete plan.scrub;
    return 'no scrub';
  }
  const schedule = args.scrub !== undefined ? parseSchedule(args.scrub).spec : plan.scrub?.schedule;
  if (!schedule) throw new UsageError('--scrub-sample needs a scrub schedule', { hint: 'Add --scrub <spec>' });
  let samplePercent = plan.scrub?.samplePercent ?? 5;
  if (args.scrubSample !== undefined) {
    samplePercent = Number(args.scrubSample.replace(/%$/, ''));
    if (!(samplePercent > 0 && samplePercent <= 100)) {
      throw new UsageError(`--scrub-sample must be a percentage above 0 and at most 100, not "${args.scrubSample}"`);
    }
  }
  plan.scrub = { schedule, samplePercent };
  return `scrub ${parseSchedule(schedule).describe}, ${samplePercent}% of the copies`;
}

/** Splits on whitespace, no shell: quoting is not interpreted (put anything complex in a script). */
export function splitCommand(text: string): string[] {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0)
    throw new UsageError('--notify-command is empty', { hint: 'Give a program to run, or "off"' });
  return parts;
}

function setOrDelete<K extends keyof PlanConfig>(plan: PlanConfig, key: K, value: PlanConfig[K] | undefined) {
  if (value === undefined) delete plan[key];
  else plan[key] = value;
}

function setNotify<K extends 'command' | 'webhook'>(
  plan: PlanConfig,
  key: K,
  value: NonNullable<PlanConfig['notify']>[K] | undefined,
) {
  const notify = { ...plan.notify };
  if (value === undefined) delete notify[key];
  else notify[key] = value;
  if (Object.keys(notify).length === 0) delete plan.notify;
  else plan.notify = notify;
}
