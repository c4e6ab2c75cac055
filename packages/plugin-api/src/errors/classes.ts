import { ErrorCode } from './codes.js';
import { LifeboatError } from './lifeboat-error.js';

type Opts = { hint?: string; cause?: unknown };

export class NotFoundError extends LifeboatError {
  static readonly code = ErrorCode.NotFound;
  constructor(message: string, options: Opts = {}) {
    super(NotFoundError.code, message, options);
  }
}

export class AlreadyExistsError extends LifeboatError {
  static readonly code = ErrorCode.AlreadyExists;
  constructor(message: string, options: Opts = {}) {
    super(AlreadyExistsError.code, message, options);
  }
}

/** Bytes were not what they should be: wrong size, wrong sha256. Never counted as a copy. */
export class IntegrityError extends LifeboatError {
  static readonly code = ErrorCode.Integrity;
  constructor(message: string, options: Opts = {}) {
    super(IntegrityError.code, message, options);
  }
}

export class InvalidKeyError extends LifeboatError {
  static readonly code = ErrorCode.InvalidKey;
  constructor(message: string, options: Opts = {}) {
    super(InvalidKeyError.code, message, options);
  }
}

/** The destination cannot be used right now: drive not mounted, marker missing, not writable. */
export class DestinationUnavailableError extends LifeboatError {
  static readonly code = ErrorCode.DestinationUnavailable;
  constructor(message: string, options: Opts = {}) {
    super(DestinationUnavailableError.code, message, options);
  }
}

export class SourceUnavailableError extends LifeboatError {
  static readonly code = ErrorCode.SourceUnavailable;
  constructor(message: string, options: Opts = {}) {
    super(SourceUnavailableError.code, message, options);
  }
}

/** Not enough free space on a destination for what a run must copy. */
export class InsufficientSpaceError extends LifeboatError {
  static readonly code = ErrorCode.NoSpace;
  constructor(message: string, options: Opts = {}) {
    super(InsufficientSpaceError.code, message, options);
  }
}

/** A temporary failure (throttling, a dropped connection): core retries it with backoff. */
export class TransientError extends LifeboatError {
  static readonly code = ErrorCode.Transient;
  /**
   * The server refused because the client sends too much (HTTP 503/429, S3 SlowDown): core then also lowers how
   * many requests it sends that server at once. Core reads this field, not the class.
   */
  readonly throttled: boolean;
  /** How long the server asked to be left alone (its Retry-After), when it said: core sends it nothing sooner. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: Opts & { throttled?: boolean; retryAfterMs?: number } = {}) {
    super(TransientError.code, message, { ...options, retryable: true });
    this.throttled = options.throttled ?? options.retryAfterMs !== undefined;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The user's configuration or command line is wrong. */
export class ConfigError extends LifeboatError {
  static readonly code = ErrorCode.Config;
  constructor(message: string, options: Opts = {}) {
    super(ConfigError.code, message, options);
  }
}

export class UsageError extends LifeboatError {
  static readonly code = ErrorCode.Usage;
  constructor(message: string, options: Opts = {}) {
    super(UsageError.code, message, options);
  }
}

export class PluginError extends LifeboatError {
  static readonly code = ErrorCode.Plugin;
  constructor(message: string, options: Opts = {}) {
    super(PluginError.code, message, options);
  }
}

/** Another run of the same plan holds the lock. */
export class LockedError extends LifeboatError {
  static readonly code = ErrorCode.Locked;
  constructor(message: string, options: Opts = {}) {
    super(LockedError.code, message, options);
  }
}

export class CatalogError extends LifeboatError {
  static readonly code = ErrorCode.Catalog;
  constructor(message: string, options: Opts = {}) {
    super(CatalogError.code, message, options);
  }
}
