import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from './settings.js';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Attempts per request. Core's retry wrapper retries every call without side effects (stat, read, list,
 * delete) with its own backoff, so the SDK makes one attempt there. A write cannot be retried by core without
 * reading the source again (a 50 GB video, for one 503 on one of its 6,000 parts), so the upload client retries
 * single requests (a part, a PUT, the completion) itself a few times: each holds its bytes in memory.
 */
export const CONTROL_ATTEMPTS = 1;
export const UPLOAD_ATTEMPTS = 3;

/**
 * An S3 client for the settings. Everything that matters is explicit, so neither ~/.aws nor AWS_* variables
 * change where copies go or which keys sign them.
 */
/** How long to wait for a connection, and for a silent socket, before giving up (ms). */
export interface S3Timeouts {
  connectMs: number;
  socketMs: number;
}

// A server that never answers is told apart from a slow upload: connecting takes seconds, not minutes.
export const DEFAULT_TIMEOUTS: S3Timeouts = { connectMs: 10_000, socketMs: 120_000 };

export function createS3Client(
  settings: S3Settings,
  credentials: S3Credentials,
  maxAttempts: number,
  timeouts: S3Timeouts = DEFAULT_TIMEOUTS,
): S3Client {
  // Swift answers 501 to aws-chunked uploads and several other servers reject trailing checksums: `when_required`
  // sends only the checksums the protocol demands (plus our own Content-MD5 on single PUTs).
  const checksums = settings.checksumMode === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    requestHandler: { connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.socketMs },
    // The SDK's default sends `Expect: 100-continue` with every body of 2 MiB or more, and sends each such request
    // on a connection of its own, closed afterwards: a TCP (and TLS) handshake plus a wait for "100 Continue" per
    // photo. On a 1,000-file run to Swift that was ~330 connections where 4 do. The refusals it would spare a
    // body for (bad keys, a full bucket, too large) are found by the connection test or answered after the body.
    expectContinueHeader: false,
  });
}

/** The server, for messages and the medium: the endpoint's host, or AWS. Never includes credentials. */
export function serverLabel(settings: S3Settings): string {
  return settings.endpoint === undefined ? `AWS S3 (${settings.region})` : new URL(settings.endpoint).host;
}
