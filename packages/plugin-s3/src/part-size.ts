/**
 * Multipart sizing. Parts are held in memory while they upload, so the part size and the number of parts in
 * flight bound memory whatever the file size; the part size grows only when a file is so large that 8 MiB
 * parts would exceed S3's 10,000-part limit (past ~70 GB).
 */

export const MIB = 1024 * 1024;
/** S3 allows at most 10,000 parts per upload. */
export const MAX_PARTS = 10_000;
/** Sizing aims below MAX_PARTS so a file that grew a little between listing and upload still fits. */
const TARGET_PARTS = 9_000;
/** Default smallest part (S3's own minimum is 5 MiB). */
export const DEFAULT_MIN_PART_SIZE = 8 * MIB;
/**
 * Parts uploading at once per file; one more part fills meanwhile, so an upload holds (2 + 1) × 8 MiB. Measured on
 * a 1 GiB upload through the CLI, 1 to 3 made no difference beyond noise in peak memory, which the engine's own
 * read buffers dominate, and core already uploads 4 files at once.
 */
export const DEFAULT_QUEUE_SIZE = 2;

export interface UploadTuning {
  /** Smallest part size; objects smaller than their part size go up in one PUT. */
  minPartSize: number;
  /** Parts in flight per multipart upload. */
  queueSize: number;
}

export const DEFAULT_TUNING: UploadTuning = { minPartSize: DEFAULT_MIN_PART_SIZE, queueSize: DEFAULT_QUEUE_SIZE };

/** Part size for an object of `size` bytes: max(minPartSize, ceil(size / 9000)). */
export function partSizeFor(size: number, minPartSize = DEFAULT_MIN_PART_SIZE): number {
  return Math.max(minPartSize, Math.ceil(size / TARGET_PARTS));
}

/**
 * Whether an object of `size` bytes goes up in a single PUT (its body held in memory) rather than as a multipart
 * upload: below the (queueSize + 1) parts a multipart upload holds in memory anyway, so memory keeps the same
 * bound while a 20 MB video or RAW file costs one request instead of create + parts + complete (on Swift, each
 * part is an object of its own and the completion writes a manifest on top).
 */
export function isSinglePut(size: number, tuning: UploadTuning = DEFAULT_TUNING): boolean {
  return size < (tuning.queueSize + 1) * partSizeFor(size, tuning.minPartSize);
}
