/**
 * Every code Lifeboat itself gives a failure, in one place: the code a user searches for or pastes into an issue.
 * Match errors by these (`hasCode`), never by `instanceof`: a plugin may bring its own copy of this package, whose
 * classes are not core's, but whose codes are. A plugin's own codes (`LIFEBOAT_S3_...`) live in the plugin.
 */
export const ErrorCode = {
  // Thrown by plugins and core alike; each has its class (errors/classes.ts).
  NotFound: 'LIFEBOAT_NOT_FOUND',
  AlreadyExists: 'LIFEBOAT_ALREADY_EXISTS',
  Integrity: 'LIFEBOAT_INTEGRITY',
  InvalidKey: 'LIFEBOAT_INVALID_KEY',
  DestinationUnavailable: 'LIFEBOAT_DEST_UNAVAILABLE',
  SourceUnavailable: 'LIFEBOAT_SOURCE_UNAVAILABLE',
  NoSpace: 'LIFEBOAT_NO_SPACE',
  Transient: 'LIFEBOAT_TRANSIENT',
  Config: 'LIFEBOAT_CONFIG',
  Usage: 'LIFEBOAT_USAGE',
  Plugin: 'LIFEBOAT_PLUGIN',
  Locked: 'LIFEBOAT_LOCKED',
  Catalog: 'LIFEBOAT_CATALOG',
  // Core's own, reported in failures and messages; no plugin throws them.
  Keychain: 'LIFEBOAT_KEYCHAIN',
  BadIndex: 'LIFEBOAT_BAD_INDEX',
  IndexTooNew: 'LIFEBOAT_INDEX_TOO_NEW',
  BadMarker: 'LIFEBOAT_BAD_MARKER',
  RestoreTarget: 'LIFEBOAT_RESTORE_TARGET',
  NoHealthyCopy: 'LIFEBOAT_NO_HEALTHY_COPY',
  Aborted: 'LIFEBOAT_ABORTED',
  /** A plugin call passed its deadline (no answer, no progress): the instance is skipped for the rest of the run. */
  PluginTimeout: 'LIFEBOAT_PLUGIN_TIMEOUT',
  SourceError: 'LIFEBOAT_SOURCE_ERROR',
  /** Anything thrown that carries no Lifeboat code (a bug, a library's own error). */
  Unknown: 'LIFEBOAT_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The code of any thrown value, when it has a string one (a Lifeboat code, or Node's `ENOENT`...). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether a thrown value carries one of the codes: the way to tell errors apart. */
export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = errorCode(error);
  return code !== undefined && codes.includes(code);
}

/** Whether a thrown value is a Lifeboat error (a code of ours or a plugin's), whichever copy of the class made it. */
export function isLifeboatError(error: unknown): error is Error & { code: string; hint?: string; retryable?: boolean } {
  return error instanceof Error && errorCode(error)?.startsWith('LIFEBOAT_') === true;
}
