import { LifeboatError } from './lifeboat-error.js';

type Opts = { hint?: string; cause?: unknown };

export class NotFoundError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_NOT_FOUND', message, options);
  }
}

export class AlreadyExistsError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_ALREADY_EXISTS', message, options);
  }
}

/** Bytes were not what they should be: wrong size, wrong sha256. Never counted as a copy. */
export class IntegrityError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_INTEGRITY', message, options);
  }
}

export class InvalidKeyError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_INVALID_KEY', message, options);
  }
}

/** The destination cannot be used right now: drive not mounted, marker missing, not writable. */
export class DestinationUnavailableError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_DEST_UNAVAILABLE', message, options);
  }
}

export class SourceUnavailableError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_SOURCE_UNAVAILABLE', message, options);
  }
}

/** Not enough free space on a destination for what a run must copy. */
export class InsufficientSpaceError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_NO_SPACE', message, options);
  }
}

/** A temporary failure (throttling, a dropped connection): core retries it with backoff. */
export class TransientError extends LifeboatError {
  /** How long the server asked to be left alone (its Retry-After), when it said: core sends it nothing sooner. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: Opts & { retryAfterMs?: number } = {}) {
    super('LIFEBOAT_TRANSIENT', message, { ...options, retryable: true });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The server refused because the client sends too much (HTTP 503/429, S3 SlowDown): core retries it and also
 * lowers how many requests it sends that server at once.
 */
export class ThrottledError extends TransientError {
  readonly throttled = true;
}

/** The user's configuration or command line is wrong. */
export class ConfigError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_CONFIG', message, options);
  }
}

export class UsageError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_USAGE', message, options);
  }
}

export class PluginError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_PLUGIN', message, options);
  }
}

/** Another run of the same plan holds the lock. */
export class LockedError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_LOCKED', message, options);
  }
}

export class CatalogError extends LifeboatError {
  constructor(message: string, options: Opts = {}) {
    super('LIFEBOAT_CATALOG', message, options);
  }
}
