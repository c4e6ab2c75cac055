import type { RunSummary } from '../engine/index.js';

/**
 * What Lifeboat tells a notification hook or webhook, as one JSON object (documented in the README). Every
 * event has `version`, `type`, `plan`, `at` (ISO time), `host` and a one-line `message` a human can read;
 * the rest depends on `type`. Nothing secret is ever in an event.
 */
export type NotifyEvent =
  | RunFailedEvent
  | RunRecoveredEvent
  | AssetsVanishedEvent
  | LoginNeededEvent
  | AssetsOffloadedEvent;

export type NotifyEventType = NotifyEvent['type'];
export const NOTIFY_EVENT_TYPES: readonly NotifyEventType[] = [
  'run-failed',
  'run-recovered',
  'assets-vanished',
  'login-needed',
  'assets-offloaded',
];

interface EventBase {
  version: 1;
  plan: string;
  at: string;
  host: string;
  message: string;
}

export interface NotifyFailure {
  code: string;
  message: string;
  source?: string;
  destination?: string;
  fileName?: string;
}

/** A run finished with problems (other than a sign-in to renew, which is `login-needed`). */
export interface RunFailedEvent extends EventBase {
  type: 'run-failed';
  runId: number;
  failureCount: number;
  /** The first 20 failures. */
  failures: NotifyFailure[];
  filesCopied: number;
}

/** A run succeeded after the plan's previous run had failed. */
export interface RunRecoveredEvent extends EventBase {
  type: 'run-recovered';
  runId: number;
  filesCopied: number;
}

/** Photos that vanished from the source since the last run; their copies are all kept. */
export interface AssetsVanishedEvent extends EventBase {
  type: 'assets-vanished';
  runId: number;
  /** Newly gone in this run. */
  count: number;
  /** All assets of the plan's sources currently gone. */
  totalGone: number;
}

/**
 * Photos `lifeboat offload --yes` (or the daemon, when the plan's offload moves) put in the source's trash (iCloud's
 * Recently Deleted) after their copies were read back. Sent to every plan that backs up the source.
 */
export interface AssetsOffloadedEvent extends EventBase {
  type: 'assets-offloaded';
  source: string;
  /** Moved in this offload. */
  count: number;
  /** Bytes they take in the source. */
  bytes: number;
  /** True when the offload stopped early (a conflict, a copy failing its read-back): the rest stayed. */
  stopped: boolean;
}

/** The `assets-offloaded` event of one offload that moved `count` assets. */
export function assetsOffloaded(
  base: Omit<EventBase, 'message'>,
  source: string,
  moved: { count: number; bytes: number; stopped: boolean },
): AssetsOffloadedEvent {
  const n = moved.count;
  return {
    ...base,
    type: 'assets-offloaded',
    message:
      `${n} photo${n === 1 ? '' : 's'} moved from "${source}" to Recently Deleted after their copies were read back` +
      (moved.stopped ? ' (the offload stopped early; the rest stayed)' : ''),
    source,
    ...moved,
  };
}

/** A source's sign-in expired (`reason: expired`) or will soon (`expiring-soon`): run `command`. */
export interface LoginNeededEvent extends EventBase {
  type: 'login-needed';
  source: string;
  reason: 'expired' | 'expiring-soon';
  command: string;
  /** When the last two-factor sign-in happened, when the source knows. */
  lastLoginAt?: string;
}

/**
 * A source says the user must sign in again with an error code ending in `_LOGIN_REQUIRED` (the iCloud source:
 * `LIFEBOAT_ICLOUD_LOGIN_REQUIRED`). Such a failure is not retried and is reported as `login-needed`.
 */
export function isLoginRequired(code: string): boolean {
  return code.endsWith('_LOGIN_REQUIRED');
}

export interface RunEventContext {
  /** Whether the plan's previous finished run was ok (undefined: there was none). */
  previousOk: boolean | undefined;
  host: string;
  now: Date;
}

/** The events one finished run gives rise to (none for a clean run after a clean run, or a stopped run). */
export function eventsForRun(summary: RunSummary, ctx: RunEventContext): NotifyEvent[] {
  const base = { version: 1 as const, plan: summary.plan, at: ctx.now.toISOString(), host: ctx.host };
  const events: NotifyEvent[] = [];
  if (summary.aborted) return events;
  const login = summary.failures.filter((f) => isLoginRequired(f.code));
  for (const source of new Set(login.map((f) => f.source ?? 'unknown'))) {
    events.push(loginNeeded(base, source, 'expired'));
  }
  const others = summary.failures.filter((f) => !isLoginRequired(f.code));
  if (others.length > 0) {
    events.push({
      ...base,
      type: 'run-failed',
      message: `Backup plan "${summary.plan}" failed: ${others.length} problem${others.length === 1 ? '' : 's'}; first: ${others[0]!.message}`,
      runId: summary.runId,
      failureCount: others.length,
      failures: others.slice(0, 20).map((f) => ({
        code: f.code,
        message: f.message,
        ...(f.source ? { source: f.source } : {}),
        ...(f.destination ? { destination: f.destination } : {}),
        ...(f.fileName ? { fileName: f.fileName } : {}),
      })),
      filesCopied: summary.filesCopied,
    });
  }
  if (summary.ok && ctx.previousOk === false) {
    events.push({
      ...base,
      type: 'run-recovered',
      message: `Backup plan "${summary.plan}" succeeded again (${summary.filesCopied} files copied)`,
      runId: summary.runId,
      filesCopied: summary.filesCopied,
    });
  }
  if (summary.goneFromSource > 0) {
    const n = summary.goneFromSource;
    events.push({
      ...base,
      type: 'assets-vanished',
      message: `${n} photo${n === 1 ? '' : 's'} vanished from the source since the last run of "${summary.plan}" (all copies kept)`,
      runId: summary.runId,
      count: n,
      totalGone: summary.goneFromSourceTotal,
    });
  }
  return events;
}

export function loginNeeded(
  base: Omit<EventBase, 'message'>,
  source: string,
  reason: LoginNeededEvent['reason'],
  lastLoginAt?: string,
): LoginNeededEvent {
  const command = `lifeboat login ${source}`;
  return {
    ...base,
    type: 'login-needed',
    message:
      reason === 'expired'
        ? `The sign-in of source "${source}" expired; backups of it stopped. Run \`${command}\``
        : `The sign-in of source "${source}" will need a new two-factor code soon. Run \`${command}\``,
    source,
    reason,
    command,
    ...(lastLoginAt ? { lastLoginAt } : {}),
  };
}
