import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { isMetaKey } from './keys.js';
import type { S3Settings } from './settings.js';

/** The metadata name of the content sha256 (sent as `x-amz-meta-sha256`). */
export const SHA256_METADATA = 'sha256';
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
  now = Date.now(),
): ObjectParams {
  const { storageClass, serverSideEncryption, kmsKeyId, objectLock } = settings;
  return {
    ContentType: 'application/octet-stream',
    ...(sha256 !== undefined ? { Metadata: { [SHA256_METADATA]: sha256 } } : {}),
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
