/**
 * Server partitions: Apple serves an account's CloudKit from one of many hosts (pNN-ckdatabasews) and answers
 * 421 Misdirected Request from the others after moving it. Here the partition is a path prefix (`/partition-N`)
 * of the ckdatabasews URL that accountLogin and validate hand out; partition 0 is the bare base URL.
 */
import type { ServerResponse } from 'node:http';
import type { SimContext } from './context.js';
import { sendText } from './http-util.js';

/** The path without its partition prefix, and the partition it named (0 without one). */
export function splitPartition(pathname: string): { path: string; partition: number } {
  const m = /^\/partition-(\d+)(\/.*)$/.exec(pathname);
  return m ? { path: m[2] as string, partition: Number(m[1]) } : { path: pathname, partition: 0 };
}

/** The ckdatabasews URL of the account's current partition. */
export function partitionUrl(ctx: SimContext): string {
  return ctx.partition ? `${ctx.baseUrl}/partition-${ctx.partition}` : ctx.baseUrl;
}

/** Answers 421 (and returns true) when a CloudKit request went to a partition that does not serve the account. */
export function misdirected(ctx: SimContext, partition: number, res: ServerResponse): boolean {
  if (!ctx.faults.misdirect && partition === ctx.partition) return false;
  sendText(res, 421, 'Misdirected Request', {}, 'text/plain');
  return true;
}
