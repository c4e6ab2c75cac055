import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { isMetaKey } from './keys.js';
import type { S3Settings } from './settings.js';

/** The metadata name of the content sha256 (sent as `x-amz-meta-sha256`). */
export const SHA256_METADATA = 'sha256';
/** rclone's name for an object's modification time (`x-amz-meta-mtime`): `rclone lsl` and `copy` read it. */
export const MTIME_METADATA = 'mtime';
const DAY_MS = 86_400_000;

type ObjectParams = Pick<
  PutObjectCommandInput,
  | 'ContentType'
  | 'Metadata'
  | 'StorageClass'
  | 'ServerSideEncryption'
  | 'SSEKMSKeyId'
  | 'ObjectLockMode'
  | 'ObjectLockRetainUntilDate'
>;

/**
 * What every new object carries, whether it goes up in one PUT or as a multipart upload: its sha256 when known
 * before the upload starts, the storage class, encryption and Object Lock retention.
 *
 * Retention is never set on core's `.lifeboat/` bookkeeping: index segments are rewritten and compacted, and a
 * locked segment could be neither. The copies themselves, the bytes that matter, are what retention protects.
 */
export function objectParams(
  settings: S3Settings,
  key: string,
  sha256: string | undefined,
  modifiedAt?: string,
  now = Date.now(),
): ObjectParams {
  const { storageClass, serverSideEncryption, kmsKeyId, objectLock } = settings;
  const mtime = modifiedAt === undefined ? undefined : rcloneMtime(modifiedAt);
  const metadata = {
    ...(sha256 !== undefined ? { [SHA256_METADATA]: sha256 } : {}),
    ...(mtime !== undefined ? { [MTIME_METADATA]: mtime } : {}),
  };
  return {
    ContentType: 'application/octet-stream',
    ...(Object.keys(metadata).length > 0 ? { Metadata: metadata } : {}),
    // STANDARD is every server's default; naming it would make some S3-compatible servers refuse the upload.
    ...(storageClass !== 'STANDARD' ? { StorageClass: storageClass } : {}),
    ...(serverSideEncryption !== 'none' ? { ServerSideEncryption: serverSideEncryption } : {}),
    ...(serverSideEncryption === 'aws:kms' && kmsKeyId !== undefined ? { SSEKMSKeyId: kmsKeyId } : {}),
    ...(objectLock !== undefined && !isMetaKey(key)
      ? { ObjectLockMode: objectLock.mode, ObjectLockRetainUntilDate: new Date(now + objectLock.days * DAY_MS) }
      : {}),
  };
}

/** The sha256 in an object's metadata, when it is a well-formed one. */
export function sha256FromMetadata(metadata: Record<string, string> | undefined): string | undefined {
  const value = metadata?.[SHA256_METADATA]?.toLowerCase();
  return value !== undefined && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

/**
 * An instant in rclone's `mtime` format (its swift helper's TimeToFloatString): decimal seconds since the epoch,
 * fixed point, trailing zeros of the fraction dropped (`1354040105.123`, `1354040105`). Undefined for a bad date.
 */
export function rcloneMtime(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const fraction = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1000)}${fraction ? `.${fraction}` : ''}`;
}

/** The time in an object's rclone `mtime` metadata, as ISO 8601, when it is a well-formed one. */
export function mtimeFromMetadata(metadata: Record<string, string> | undefined): string | undefined {
  const value = metadata?.[MTIME_METADATA];
  if (value === undefined || !/^-?\d+(\.\d+)?$/.test(value)) return undefined;
  const at = new Date(Math.round(Number(value) * 1000));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
