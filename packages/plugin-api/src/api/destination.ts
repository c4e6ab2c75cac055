/** One stored object, as a destination reports it. */
export interface ObjectInfo {
  /** Relative key, `/`-separated (`2019/05/IMG_0001.JPG`). */
  key: string;
  size: number;
  /** Hex sha256 when the destination knows it without reading the object. */
  sha256?: string;
  /** Last modification time (ISO 8601), when known. */
  modifiedAt?: string;
}

export interface WriteOptions {
  /** Exact number of bytes the body will yield. Any other count makes the write fail, leaving nothing visible. */
  size: number;
  /** Hex sha256 of the body when known in advance; a mismatch makes the write fail, leaving nothing visible. */
  sha256?: string;
  /**
   * The body's sha256 (hex) as core hashed it on the way, readable once the body has ended normally: core ends a
   * body only after its own checks. A destination that needs the digest (to sign an upload, to store it) takes it
   * here instead of hashing every byte a second time. Absent when the caller did not hash the body.
   */
  bodySha256?: () => string | undefined;
  /** Replace an existing object. Without it, writing an existing key fails with `AlreadyExistsError`. */
  overwrite?: boolean;
  /**
   * The object's modification time (an ISO 8601 instant, e.g. a photo's capture time). A destination that can
   * keep one sets it as part of the write: a file's mtime (set before the file becomes visible), an S3 object's
   * `mtime` user metadata in rclone's format. A destination that cannot ignores it. Since plugin API 1.3.0.
   */
  modifiedAt?: string;
  signal?: AbortSignal;
}

export interface ReadOptions {
  /** First byte to return (default 0). */
  offset?: number;
  /** Number of bytes to return (default: to the end). */
  length?: number;
  signal?: AbortSignal;
}

export interface DestinationDescription {
  /** Human-readable location: a path, `s3://bucket/prefix`. */
  location: string;
  /**
   * Identifies the physical medium. Two destinations with the same medium share a single point of failure
   * (two folders on one drive); the 3-2-1 evaluation counts distinct media.
   */
  medium: string;
  /** Kind of medium, for explanations: `disk`, `cloud`, `nas`, ... */
  mediumKind: string;
  /** Whether the copy lives away from the user's home (cloud, a drive kept elsewhere). */
  offsite: boolean;
  /** Free bytes, when the destination can tell. */
  freeBytes?: number;
  /** Folder layout template for copies, e.g. `{yyyy}/{mm}/{name}` (see core's layout). */
  layout: string;
  /**
   * API 1.3: the user asked for an album view (`Albums/<Folder>/<Album>/`, names of copies made with `link`). Only
   * a destination with `link`, `unlink` and `listLinks` may say so; core then keeps the view in step each run.
   */
  albumView?: boolean;
  /**
   * Whether core writes an XMP sidecar beside each copy (`xmp`, the default) or none. Filled in by the host from
   * the destination's `sidecars` setting, which every destination type has; a plugin leaves it out. Since 1.3.0.
   */
  sidecars?: 'xmp' | 'none';
}

/** How `link` gave a copy its other name. */
export type LinkKind = 'hard' | 'symbolic';

/**
 * A place copies go to: a blob store with `/`-separated keys. Core decides the keys, keeps the index and the
 * marker; a destination only stores bytes. Every destination in this repository passes core's conformance
 * kit (`@lifeboat/plugin-api/testing`), which checks each guarantee below.
 *
 * Guarantees a Destination promises:
 * - Atomic writes: an object is visible (to `stat`, `read`, `list`) only once its whole body was received,
 *   its size equals `size`, its sha256 equals `sha256` when given, and it is durable (fsync or the store's
 *   equivalent). A body that throws, an abort, a short or long body or a hash mismatch leave nothing visible
 *   under the key, and an existing object under the key untouched.
 * - Read-after-write: once `write` resolves, `stat`, `read` and `list` see the object.
 * - No silent overwrite: writing an existing key fails with `AlreadyExistsError` unless `overwrite` is set.
 * - `stat` resolves `undefined` for a missing key; `read` of a missing key rejects with `NotFoundError` (the
 *   returned promise rejects: not the stream later).
 * - Ranged reads return exactly the requested bytes (fewer only at the end of the object).
 * - `list(prefix)` yields every object whose key starts with `prefix` exactly once, and nothing that is
 *   not a complete object (no temporary files).
 * - Keys may hold any Unicode, spaces and `/` separators; a destination rejects keys that would escape its
 *   root (`..`, absolute, empty segments) with `InvalidKeyError`, in every method (`delete` included).
 * - Errors are classified: `NotFoundError`, `AlreadyExistsError`, `IntegrityError`, `InvalidKeyError`,
 *   `DestinationUnavailableError`, and `TransientError` (or `retryable: true`) when a retry may succeed.
 * - Concurrent writes to different keys are safe.
 */
export interface Destination {
  describe(): Promise<DestinationDescription>;
  stat(key: string): Promise<ObjectInfo | undefined>;
  write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo>;
  read(key: string, options?: ReadOptions): Promise<AsyncIterable<Uint8Array>>;
  list(prefix?: string): AsyncIterable<ObjectInfo>;
  /** Removes an object. Core uses it only for its own bookkeeping objects (index segments, probes), never for copies. */
  delete(key: string): Promise<void>;
  /**
   * Optional (API 1.3, album views): gives the object at `targetKey` a second name, `linkKey`, without a second
   * copy of its bytes: a hard link, or where the store cannot make one, a relative symbolic link. Creates the
   * folders `linkKey` needs (never a missing root). Rejects with `AlreadyExistsError` when `linkKey` is taken and
   * `NotFoundError` when `targetKey` holds no object.
   */
  link?(targetKey: string, linkKey: string): Promise<LinkKind>;
  /**
   * Optional (API 1.3): removes a name made by `link`, and the folders that leaves empty. Never removes bytes: a
   * file that is the only name of its bytes is refused with `IntegrityError`. A missing `linkKey` resolves.
   */
  unlink?(linkKey: string): Promise<void>;
  /** Optional (API 1.3): the names made by `link` under `prefix` (hard links and symbolic links alike). */
  listLinks?(prefix: string): AsyncIterable<string>;
  /**
   * Called once when the user adds the destination: create the folder, check credentials. May create the
   * location; `write` must never create a missing root (a drive that is not mounted).
   */
  prepare?(): Promise<void>;
  /**
   * Called at the start of every run, before any write: remove what interrupted writes left behind (temp files,
   * incomplete multipart uploads). Never touches complete objects.
   */
  recover?(): Promise<void>;
  close?(): Promise<void>;
}
