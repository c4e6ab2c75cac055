import type { Settings } from '@lifeboat/plugin-api';

/** One configured source or destination: which plugin type, its settings, and which secrets it has. */
export interface InstanceConfig {
  type: string;
  settings: Settings;
  /** Names of secrets kept in the keychain for this instance (the values never appear in config). */
  secrets?: string[];
  /** A destination's marker id when it was added: another backup found at its location is refused. */
  markerId?: string;
  /** A source's upper bound of files in flight, however fast it answers (the engine adapts below it). */
  maxConcurrency?: number;
  /**
   * How long the plugin may stay silent before a call fails (no answer, or no bytes moving on a transfer), in
   * seconds; default 300. A slow link is not silence: the deadline restarts with every chunk.
   */
  callTimeoutSeconds?: number;
}

export interface PlanConfig {
  sources: string[];
  destinations: string[];
  /** Upper bound of files in flight per source and per destination (each adapts below it). */
  concurrency?: number;
  /** Bandwidth limit of a run, all sources together, like rclone's: `20M` (MiB/s), `512K`. */
  bwlimit?: string;
  /** When `lifeboat daemon` or the OS scheduler runs the plan: a schedule spec (see core's `parseSchedule`). */
  schedule?: string;
  /** Who hears about failures, recoveries, vanished photos and sign-ins needed (see core's `NotifyEvent`). */
  notify?: NotifyConfig;
  /** A periodic read-back check of a sample of the copies (`lifeboat verify`), run by the daemon when due. */
  scrub?: { schedule: string; samplePercent: number };
  /**
   * The daemon offloads the plan's sources after each ok run by this rule (`lifeboat offload`'s options without
   * dashes, e.g. `older-than=365d,keep-favorites`): a logged dry run unless `move` is true.
   */
  offload?: { rule: string; move?: boolean };
}

export interface NotifyConfig {
  /** A program and its arguments, run with the event as JSON on stdin (no shell). */
  command?: string[];
  /** Whether a webhook is set; its URL is a secret kept in the keychain, never here. */
  webhook?: boolean;
}

export interface LifeboatConfig {
  sources: Record<string, InstanceConfig>;
  destinations: Record<string, InstanceConfig>;
  plans: Record<string, PlanConfig>;
}

const NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

const instance = {
  type: 'object',
  required: ['type', 'settings'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1 },
    settings: { type: 'object' },
    secrets: { type: 'array', items: { type: 'string' } },
    markerId: { type: 'string', minLength: 1 },
    maxConcurrency: { type: 'integer', minimum: 1, maximum: 64 },
    callTimeoutSeconds: { type: 'integer', minimum: 1 },
  },
};

/** JSON schema of the config file (top-level properties, in the shape `conf` takes). */
export const CONFIG_SCHEMA = {
  sources: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: instance, default: {} },
  destinations: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: instance, default: {} },
  plans: {
    type: 'object',
    propertyNames: { pattern: NAME },
    default: {},
    additionalProperties: {
      type: 'object',
      required: ['sources', 'destinations'],
      additionalProperties: false,
      properties: {
        sources: { type: 'array', items: { type: 'string' }, minItems: 1 },
        destinations: { type: 'array', items: { type: 'string' }, minItems: 1 },
        concurrency: { type: 'integer', minimum: 1, maximum: 64 },
        bwlimit: { type: 'string', minLength: 1 },
        schedule: { type: 'string', minLength: 1 },
        notify: {
          type: 'object',
          additionalProperties: false,
          properties: {
            command: { type: 'array', items: { type: 'string' }, minItems: 1 },
            webhook: { type: 'boolean' },
          },
        },
        scrub: {
          type: 'object',
          required: ['schedule', 'samplePercent'],
          additionalProperties: false,
          properties: {
            schedule: { type: 'string', minLength: 1 },
            samplePercent: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
          },
        },
        offload: {
          type: 'object',
          required: ['rule'],
          additionalProperties: false,
          properties: { rule: { type: 'string' }, move: { type: 'boolean' } },
        },
      },
    },
  },
} as const;

export const NAME_PATTERN = new RegExp(NAME);

/** The port the CLI's config adapter (conf) implements. */
export interface ConfigStore {
  /** Where the config lives, for messages. */
  readonly path: string;
  read(): LifeboatConfig;
  write(config: LifeboatConfig): void;
}
