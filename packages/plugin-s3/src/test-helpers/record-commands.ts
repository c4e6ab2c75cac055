import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Context } from '../context.js';
import type { S3Destination } from '../s3-destination.js';

/** The S3 commands a destination sends, by name, in order (both its clients): to prove what reached the server. */
export function recordCommands(destination: S3Destination): string[] {
  const sent: string[] = [];
  const { client, uploadClient } = (destination as unknown as { ctx: S3Context }).ctx;
  for (const c of [client, uploadClient] as S3Client[]) {
    c.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'lifeboatRecordCommands' },
    );
  }
  return sent;
}
