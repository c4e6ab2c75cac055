import type { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Settings } from './settings.js';

/** The SigV4 header that carries the payload's sha256 (hex), which the server checks the body against. */
const PAYLOAD_SHA256 = 'x-amz-content-sha256';

/**
 * Signs `command` with a payload sha256 we already know, so SigV4 hashes nothing itself (the signer uses a
 * preset header as is). The server still checks the body against it: AWS answers XAmzContentSHA256Mismatch,
 * Swift BadDigest (tested in transport-checksum.test.ts and the Swift suite).
 */
export function signWithPayloadSha256(command: PutObjectCommand, sha256Hex: string): PutObjectCommand {
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[PAYLOAD_SHA256] = sha256Hex;
      return next(args);
    },
    { step: 'build', name: 'lifeboatPayloadSha256' },
  );
  return command;
}

/**
 * Whether a body in `when_required` mode also carries Content-MD5. Every byte already travels under a checked
 * sha256 (the SigV4 payload hash, which both AWS and Swift verify), so MD5 would be a second full pass over the
 * bytes for nothing (MD5 is ~2.4x slower than SHA-256 on SHA-NI CPUs), except where AWS demands it: writes to a
 * bucket with Object Lock retention. In `when_supported` mode the SDK's flexible checksum does the job.
 */
export function wantsContentMd5(settings: Pick<S3Settings, 'checksumMode' | 'objectLock'>): boolean {
  return settings.checksumMode === 'when_required' && settings.objectLock !== undefined;
}
