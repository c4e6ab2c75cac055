import type { S3Client } from '@aws-sdk/client-s3';
import { BufferPool } from '../buffer-pool.js';
import type { S3Context } from '../context.js';
import { KeyLocks } from '../key-locks.js';
import { DEFAULT_TUNING } from '../part-size.js';
import { s3Settings } from '../settings.js';

export type Reply = (input: Record<string, unknown>) => unknown;

/**
 * A context whose clients answer from `replies` by command name (`ListPartsCommand`), for behaviour that fauxqs
 * cannot show (it has no ListMultipartUploads, ignores If-None-Match). Records every command with its input.
 */
export function stubContext(replies: Record<string, Reply>, settings: Record<string, unknown> = {}) {
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name;
      sent.push({ command: name, input: command.input });
      const reply = replies[name];
      if (!reply) throw new Error(`stub: no reply for ${name}`);
      return reply(command.input);
    },
  } as unknown as S3Client;
  const ctx: S3Context = {
    settings: s3Settings({ bucket: 'photos', endpoint: 'http://s3.test:9000', ...settings }),
    client,
    uploadClient: client,
    server: 's3.test:9000',
    tuning: DEFAULT_TUNING,
    buffers: new BufferPool(DEFAULT_TUNING.minPartSize, 2),
    locks: new KeyLocks(),
    abandoned: new Set(),
    logger: undefined,
  };
  return { ctx, sent };
}

/** An SDK-shaped S3 error. */
export function s3Error(code: string, status: number): Error {
  return Object.assign(new Error(code), { name: code, Code: code, $metadata: { httpStatusCode: status } });
}
