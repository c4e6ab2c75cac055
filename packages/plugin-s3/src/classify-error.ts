import {
  AlreadyExistsError,
  ConfigError,
  DestinationUnavailableError,
  ErrorCode,
  isAbort,
  isLifeboatError,
  LifeboatError,
  NotFoundError,
  TransientError,
} from '@lifeboat/plugin-api';

/** What was being done when an error happened, for messages that say which bucket, key and server. */
export interface S3ErrorContext {
  bucket: string;
  /** The server, for messages: `127.0.0.1:9000`, `AWS S3 (eu-west-1)`. */
  server: string;
  /** What failed, in words: `upload of 2019/05/a.jpg`, `the bucket check`. */
  action: string;
  /** Whether a 404 without a code means the bucket (HeadBucket) rather than an object (HeadObject). */
  bucketLevel?: boolean;
}

interface SdkError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: string;
  $retryable?: unknown;
  ServerTime?: string;
  RequestTime?: string;
  Region?: string;
  $response?: { headers?: Record<string, string | undefined> };
}

/** S3 refuses requests more than 15 minutes away from its own time; further than this is worth naming. */
const SKEW_MS = 5 * 60_000;

const PERMISSIONS = 's3:PutObject, s3:GetObject, s3:ListBucket, s3:DeleteObject and s3:AbortMultipartUpload';

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'InvalidSecurity',
]);
const DENIED_CODES = new Set(['AccessDenied', 'AllAccessDisabled', 'AccountProblem', 'Forbidden']);
/** The names the SDK gives a 403 that came without an error body (HEAD). */
const BARE_403 = new Set(['', 'Unknown', 'Forbidden', '403']);
const REGION_CODES = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);
const TRANSIENT_CODES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'ConditionalRequestConflict',
  'OperationAborted',
  // The bytes were damaged on the way: sending them again can succeed.
  'BadDigest',
  'XAmzContentSHA256Mismatch',
  'IncompleteBody',
  'TimeoutError',
  'RequestTimeoutException',
]);
/** Network failures where the same request may well succeed a moment later. */
const FLAKY_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
/** The server cannot be reached at all; retryable ones may come back (a network that is still starting). */
const UNREACHABLE: Record<string, boolean> = {
  ECONNREFUSED: true,
  EHOSTUNREACH: true,
  ENETUNREACH: true,
  ETIMEDOUT: true,
  EAI_AGAIN: true,
  ENOTFOUND: false,
};
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** The conditions the destination tells apart; `kindOf` maps codes and statuses to them. */
type Kind =
  | 'unreachable'
  | 'unreachable-for-now'
  | 'tls'
  | 'dropped'
  | 'no-bucket'
  | 'not-found'
  | 'credentials'
  | 'region'
  | 'denied'
  | 'clock'
  | 'exists'
  | 'archived'
  | 'storage-class'
  | 'kms'
  | 'not-supported'
  | 'transient'
  | 'other';

/** S3 error codes first (they are precise), then bare HTTP statuses (HEAD answers carry no code). */
export function kindOf(code: string, status: number | undefined, message: string, bucketLevel = false): Kind {
  // The SDK's connection timeout: nothing answered at all, as with a firewall dropping packets.
  if (code === 'TimeoutError' && /establish a connection/.test(message)) return 'unreachable-for-now';
  if (code in UNREACHABLE) return UNREACHABLE[code] ? 'unreachable-for-now' : 'unreachable';
  if (TLS_CODES.has(code)) return 'tls';
  if (FLAKY_NETWORK.has(code) || /socket hang up/i.test(message)) return 'dropped';
  if (code === 'NoSuchBucket') return 'no-bucket';
  if (code === 'NoSuchKey') return 'not-found';
  if (CREDENTIAL_CODES.has(code)) return 'credentials';
  if (REGION_CODES.has(code)) return 'region';
  if (code === 'RequestTimeTooSkewed') return 'clock';
  if (code === 'InvalidObjectState') return 'archived';
  if (code === 'InvalidStorageClass') return 'storage-class';
  if (code.startsWith('KMS')) return 'kms';
  if (code === 'PreconditionFailed') return 'exists';
  if (code === 'NotImplemented') return 'not-supported';
  if (DENIED_CODES.has(code)) return 'denied';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  switch (status) {
    case 404:
      return bucketLevel ? 'no-bucket' : 'not-found';
    case 301:
      return 'region';
    case 403:
      return 'denied';
    case 412:
      return 'exists';
    case 501:
      return 'not-supported';
    case 429:
      return 'transient';
  }
  if (code === 'NotFound') return bucketLevel ? 'no-bucket' : 'not-found';
  return status !== undefined && status >= 500 ? 'transient' : 'other';
}

/**
 * Turns an AWS SDK or network error into core's classes, each saying what happened and what to do. Core matches
 * the result by code and retries anything retryable. The SDK error itself is not kept as the cause: some carry
 * request details (the string to sign, the access key id) that have no place in logs; a summary is kept instead.
 */
export function classifyS3Error(error: unknown, ctx: S3ErrorContext): unknown {
  if (isLifeboatError(error) || isAbort(error)) return error;
  if (typeof error !== 'object' || error === null) return error;
  const e = error as SdkError;
  const code = e.Code ?? e.code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const cause = summary(e, code, status);
  const where = `bucket "${ctx.bucket}" at ${ctx.server}`;
  let kind = kindOf(code, status, e.message ?? '', ctx.bucketLevel);
  // The SDK marks throttling and transient faults it knows of; anything else unexplained stays permanent.
  if (kind === 'other' && e.$retryable !== undefined) kind = 'transient';
  // A HEAD answer carries no error code: a bare 403 may be a skewed clock, which the server's Date reveals.
  if (kind === 'denied' && BARE_403.has(code) && serverClockOffset(e) !== undefined) kind = 'clock';
  switch (kind) {
    case 'unreachable':
    case 'unreachable-for-now':
      return new LifeboatError(
        ErrorCode.DestinationUnavailable,
        `Cannot reach ${ctx.server}: endpoint unreachable (${code})`,
        {
          hint: 'Check the endpoint setting and your network connection',
          retryable: kind === 'unreachable-for-now',
          cause,
        },
      );
    case 'tls':
      return new DestinationUnavailableError(`The TLS certificate of ${ctx.server} is not trusted (${code})`, {
        hint: 'Check the endpoint URL; for a server with its own certificate authority, set NODE_EXTRA_CA_CERTS',
        cause,
      });
    case 'dropped':
      return new TransientError(`The connection to ${ctx.server} dropped during ${ctx.action} (${code})`, { cause });
    case 'no-bucket':
      return new DestinationUnavailableError(`The bucket "${ctx.bucket}" does not exist at ${ctx.server}`, {
        hint: 'Create the bucket first, or check the bucket, endpoint and region settings',
        cause,
      });
    case 'not-found':
      return new NotFoundError(`Not found: ${ctx.action} in ${where}`, { cause });
    case 'credentials':
      return new LifeboatError('LIFEBOAT_S3_CREDENTIALS', `Bad credentials for ${ctx.server} (${code})`, {
        hint: 'Check accessKeyId/secretAccessKey, and give them again with --secret accessKeyId --secret secretAccessKey',
        cause,
      });
    case 'region':
      return new LifeboatError(
        'LIFEBOAT_S3_WRONG_REGION',
        `The bucket "${ctx.bucket}" is not in this region${e.Region ? `: it is in ${e.Region}` : ''}`,
        { hint: `Set the bucket's region: --set region=${e.Region ?? '<region>'}`, cause },
      );
    case 'denied':
      return new LifeboatError(
        'LIFEBOAT_S3_ACCESS_DENIED',
        `Access denied to ${where} during ${ctx.action}: the credentials work but may not do this`,
        { hint: `The key needs ${PERMISSIONS} on bucket "${ctx.bucket}"`, cause },
      );
    case 'clock':
      return new LifeboatError(
        'LIFEBOAT_S3_CLOCK_SKEW',
        `This computer's clock is off${skew(e)}: ${ctx.server} refuses its requests`,
        { hint: 'Fix the time (turn on automatic time / NTP), then try again', cause },
      );
    case 'exists':
      return new AlreadyExistsError(`An object already exists: ${ctx.action} in ${where}`, { cause });
    case 'archived':
      return new LifeboatError(
        'LIFEBOAT_S3_ARCHIVED',
        `Cannot do the ${ctx.action}: the object is archived (Glacier)`,
        {
          hint: 'Restore (thaw) the objects in the S3 console or with `aws s3api restore-object`, then try again',
          cause,
        },
      );
    case 'storage-class':
      return new ConfigError(`${ctx.server} does not offer the configured storage class`, {
        hint: 'Set storageClass=STANDARD (most S3-compatible services offer only that)',
        cause,
      });
    case 'kms':
      return new ConfigError(`Server-side encryption with KMS failed at ${ctx.server} (${code})`, {
        hint: 'Check kmsKeyId and that the keys may use it, or set serverSideEncryption=AES256',
        cause,
      });
    case 'not-supported':
      return new LifeboatError(
        'LIFEBOAT_S3_NOT_SUPPORTED',
        `${ctx.server} does not support the ${ctx.action} (${code})`,
        {
          hint: 'Set checksumMode=when_required (many S3-compatible servers reject the newer upload checksums)',
          cause,
        },
      );
    case 'transient':
      return new TransientError(`${ctx.server} failed the ${ctx.action} for now (${code || status})`, { cause });
    default:
      return new LifeboatError('LIFEBOAT_S3_ERROR', `${ctx.server} refused the ${ctx.action}: ${cause.message}`, {
        hint: 'Look the error code up in the S3 documentation of your provider',
        cause,
      });
  }
}

/** A short, secret-free description of the SDK error: code, status, message and request id. */
function summary(e: SdkError, code: string, status: number | undefined): Error {
  const message = (e.message ?? '').replace(/\s+/g, ' ').slice(0, 300);
  const parts = [code, status === undefined ? '' : `HTTP ${status}`, message === 'UnknownError' ? '' : message];
  const requestId = e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
  return new Error(`${parts.filter(Boolean).join(': ')}${requestId}`);
}

/** How far this computer's clock is ahead of the server's (from the answer's Date header), when it is far off. */
function serverClockOffset(e: SdkError, now = Date.now()): number | undefined {
  const date = Date.parse(e.$response?.headers?.date ?? '');
  if (Number.isNaN(date) || Math.abs(now - date) < SKEW_MS) return undefined;
  return now - date;
}

function skew(e: SdkError): string {
  const server = parseTime(e.ServerTime);
  const request = parseTime(e.RequestTime);
  const offset = Number.isNaN(server) || Number.isNaN(request) ? serverClockOffset(e) : request - server;
  if (offset === undefined) return '';
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return ` by about ${minutes} minute${minutes === 1 ? '' : 's'} (${offset > 0 ? 'ahead' : 'behind'})`;
}

/** S3 reports RequestTime as the request's x-amz-date (`20260101T120000Z`) and ServerTime in ISO 8601. */
function parseTime(value: string | undefined): number {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return Date.parse(basic ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6]}Z` : (value ?? ''));
}
