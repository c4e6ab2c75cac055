import { describe, expect, it } from 'vitest';
import { classifyS3Error } from './classify-error.js';

const ctx = { bucket: 'photos', server: 's3.example.com', action: 'upload of 2019/a.jpg' };

/** An error shaped like the AWS SDK's: S3 error code as name/Code, HTTP status in $metadata. */
function sdkError(code: string, status: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${code} happened`), {
    name: code,
    Code: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ1' },
    ...extra,
  });
}
/** A HEAD answer: no body, so no code, only the status. */
function headError(status: number, name: string) {
  return Object.assign(new Error('UnknownError'), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}
function systemError(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, $metadata: {} });
}

const classify = (error: unknown, bucketLevel = false) =>
  classifyS3Error(error, { ...ctx, bucketLevel }) as {
    code: string;
    message: string;
    retryable: boolean;
    hint?: string;
  };

describe('classifyS3Error', () => {
  it.each([
    ['NoSuchKey', sdkError('NoSuchKey', 404), 'LIFEBOAT_NOT_FOUND', false],
    ['HEAD 404 of an object', headError(404, 'NotFound'), 'LIFEBOAT_NOT_FOUND', false],
    ['NoSuchBucket', sdkError('NoSuchBucket', 404), 'LIFEBOAT_DEST_UNAVAILABLE', false],
    ['InvalidAccessKeyId', sdkError('InvalidAccessKeyId', 403), 'LIFEBOAT_S3_CREDENTIALS', false],
    ['SignatureDoesNotMatch', sdkError('SignatureDoesNotMatch', 403), 'LIFEBOAT_S3_CREDENTIALS', false],
    ['AccessDenied', sdkError('AccessDenied', 403), 'LIFEBOAT_S3_ACCESS_DENIED', false],
    ['HEAD 403', headError(403, 'Forbidden'), 'LIFEBOAT_S3_ACCESS_DENIED', false],
    ['RequestTimeTooSkewed', sdkError('RequestTimeTooSkewed', 403), 'LIFEBOAT_S3_CLOCK_SKEW', false],
    ['PermanentRedirect', sdkError('PermanentRedirect', 301), 'LIFEBOAT_S3_WRONG_REGION', false],
    ['PreconditionFailed', sdkError('PreconditionFailed', 412), 'LIFEBOAT_ALREADY_EXISTS', false],
    ['SlowDown', sdkError('SlowDown', 503), 'LIFEBOAT_TRANSIENT', true],
    ['ServiceUnavailable', sdkError('ServiceUnavailable', 503), 'LIFEBOAT_TRANSIENT', true],
    ['InternalError', sdkError('InternalError', 500), 'LIFEBOAT_TRANSIENT', true],
    ['RequestTimeout', sdkError('RequestTimeout', 400), 'LIFEBOAT_TRANSIENT', true],
    ['BadDigest', sdkError('BadDigest', 400), 'LIFEBOAT_TRANSIENT', true],
    ['a bare 502', headError(502, 'Unknown'), 'LIFEBOAT_TRANSIENT', true],
    ['ECONNRESET', systemError('ECONNRESET'), 'LIFEBOAT_TRANSIENT', true],
    ['ECONNREFUSED', systemError('ECONNREFUSED'), 'LIFEBOAT_DEST_UNAVAILABLE', true],
    ['ETIMEDOUT', systemError('ETIMEDOUT'), 'LIFEBOAT_DEST_UNAVAILABLE', true],
    ['ENOTFOUND', systemError('ENOTFOUND'), 'LIFEBOAT_DEST_UNAVAILABLE', false],
    [
      'a connection timeout',
      Object.assign(new Error('the request socket did not establish a connection with the server within 10000 ms'), {
        name: 'TimeoutError',
      }),
      'LIFEBOAT_DEST_UNAVAILABLE',
      true,
    ],
    [
      'an idle socket timeout',
      Object.assign(new Error('the request socket timed out after 120000 ms of inactivity'), { name: 'TimeoutError' }),
      'LIFEBOAT_TRANSIENT',
      true,
    ],
    ['NotImplemented', sdkError('NotImplemented', 501), 'LIFEBOAT_S3_NOT_SUPPORTED', false],
    ['InvalidStorageClass', sdkError('InvalidStorageClass', 400), 'LIFEBOAT_CONFIG', false],
    ['KMS.NotFoundException', sdkError('KMS.NotFoundException', 400), 'LIFEBOAT_CONFIG', false],
    ['InvalidObjectState', sdkError('InvalidObjectState', 403), 'LIFEBOAT_S3_ARCHIVED', false],
    ['an unknown client error', sdkError('WeirdThing', 400), 'LIFEBOAT_S3_ERROR', false],
  ])('classifies %s', (_, error, code, retryable) => {
    const classified = classify(error);
    expect(classified.code).toBe(code);
    expect(classified.retryable).toBe(retryable);
  });

  it('reads a body-less 404 of the bucket check as a missing bucket', () => {
    const classified = classify(headError(404, 'NotFound'), true);
    expect(classified.code).toBe('LIFEBOAT_DEST_UNAVAILABLE');
    expect(classified.message).toContain('bucket "photos" does not exist');
  });

  it('says what to do, naming the bucket and the permissions it needs', () => {
    expect(classify(sdkError('AccessDenied', 403)).hint).toContain('s3:PutObject');
    expect(classify(sdkError('AccessDenied', 403)).hint).toContain('"photos"');
    expect(classify(sdkError('InvalidAccessKeyId', 403)).hint).toContain('--secret accessKeyId');
    expect(classify(systemError('ECONNREFUSED')).message).toContain('endpoint unreachable');
    expect(classify(sdkError('NotImplemented', 501)).hint).toContain('checksumMode=when_required');
  });

  it('measures clock skew from the times S3 reports', () => {
    const skewed = sdkError('RequestTimeTooSkewed', 403, {
      RequestTime: '20260101T120000Z', // x-amz-date's basic format, as S3 echoes it
      ServerTime: '2026-01-01T11:40:00Z',
    });
    const classified = classify(skewed);
    expect(classified.message).toContain('off by about 20 minutes (ahead)');
    expect(classified.hint).toContain('NTP');
  });

  it("tells a skewed clock from a bare 403 (a HEAD answer has no code) by the server's Date", () => {
    const behind = new Date(Date.now() - 2 * 3600_000).toUTCString();
    const bare = Object.assign(headError(403, 'Forbidden'), { $response: { headers: { date: behind } } });
    const classified = classify(bare, true);
    expect(classified.code).toBe('LIFEBOAT_S3_CLOCK_SKEW');
    expect(classified.message).toContain('off by about 120 minutes (ahead)');
    const inTime = Object.assign(headError(403, 'Forbidden'), {
      $response: { headers: { date: new Date().toUTCString() } },
    });
    expect(classify(inTime, true).code).toBe('LIFEBOAT_S3_ACCESS_DENIED');
    // An explicit AccessDenied is believed whatever the clocks say.
    const denied = sdkError('AccessDenied', 403, { $response: { headers: { date: behind } } });
    expect(classify(denied).code).toBe('LIFEBOAT_S3_ACCESS_DENIED');
    // What the SDK actually throws for Swift's bare 403 to a HEAD from a clock two hours fast.
    const unknown = Object.assign(headError(403, 'Unknown'), { $response: { headers: { date: behind } } });
    expect(classify(unknown, true).code).toBe('LIFEBOAT_S3_CLOCK_SKEW');
  });

  it('keeps no SDK error (with its request details) as the cause, only a summary', () => {
    const error = sdkError('SignatureDoesNotMatch', 403, {
      StringToSign: 'AWS4-HMAC-SHA256 secret-derived-material',
      AWSAccessKeyId: 'AKIDEXAMPLE',
    });
    const classified = classifyS3Error(error, ctx) as Error;
    expect(classified.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(classified, Object.getOwnPropertyNames(classified))).not.toContain('AKIDEXAMPLE');
    expect(String((classified.cause as Error).message)).toContain('SignatureDoesNotMatch');
    expect(String((classified.cause as Error).message)).not.toContain('secret-derived');
  });

  it('passes core errors and aborts through untouched', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(classifyS3Error(abort, ctx)).toBe(abort);
  });
});
