import type { Source } from '@lifeboat/plugin-api';
import {
  backoffDelay,
  describeError,
  type Failure,
  isAbort,
  type RetryPolicy,
  sleep,
  toFailure,
} from '@lifeboat/plugin-api';
import type { Catalog, CatalogResource } from '../catalog/index.js';
import { type CopyOutcome, type CopyTarget, copyResource, worthRetrying } from './copy-resource.js';
import type { RunEvent, RunFailure } from './events.js';
import type { ProgressMeter } from './progress-meter.js';
import type { RunLimits } from './run-limits.js';
import { throttleOf } from './throttle-signal.js';
import type { TokenBucket } from './token-bucket.js';

export interface CopyRunContext {
  catalog: Catalog;
  sources: Map<string, Source>;
  limits: RunLimits;
  bandwidth: TokenBucket | undefined;
  meter: ProgressMeter;
  policy: RetryPolicy;
  signal: AbortSignal;
  now: () => string;
  emit: (e: RunEvent) => void;
  /** Told of each destination that got the copy. */
  onCopied: (destination: string, key: string, bytes: number) => void;
  fail: (f: RunFailure) => void;
}

/**
 * Copies one resource to its targets, retrying what may succeed later. Throttles feed the adaptive limits (the
 * server that said stop gets fewer files at once), and a retry never goes out before the Retry-After the
 * server gave has passed. Called holding a slot of every target (the caller's to give back); a slot of the
 * source is taken right before each read and given back as soon as its last byte is in.
 * Returns whether at least one destination got the copy.
 */
export async function copyWithRetry(r: CatalogResource, targets: CopyTarget[], ctx: CopyRunContext): Promise<boolean> {
  const { limits, meter, policy, signal } = ctx;
  meter.currentFile = r.fileName;
  let outcome: CopyOutcome | undefined;
  let copiedSomewhere = false;
  let holdsSource = false;
  try {
    for (let attempt = 1; targets.length > 0; attempt++) {
      const names = targets.map((t) => t.name);
      outcome = await copyResource(r, targets, {
        catalog: ctx.catalog,
        source: ctx.sources.get(r.source)!,
        signal,
        now: ctx.now,
        onBytes: (n) => {
          meter.addBytes(n);
          limits.noteBytes(r.source, names, n);
        },
        beforeRead: async () => {
          await limits.acquireSource(r.source, signal);
          holdsSource = true;
          await limits.waitForSource(r.source, signal);
        },
        sourceDone: (openError) => {
          if (!holdsSource) return; // stopped while waiting for a slot
          // A throttle is noted before the slot goes: nothing may take it and ask the server before its Retry-After.
          const throttle = openError === undefined ? undefined : throttleOf(openError);
          if (throttle) limits.throttledSource(r.source, throttle);
          holdsSource = false;
          limits.releaseSource(r.source, openError === undefined);
        },
        ...(ctx.bandwidth ? { pace: (n: number) => ctx.bandwidth!.take(n, signal) } : {}),
      });
      const sourceThrottle = outcome.sourceError === undefined ? undefined : throttleOf(outcome.sourceError);
      if (sourceThrottle) limits.throttledSource(r.source, sourceThrottle);
      for (const f of outcome.failed) {
        const throttle = throttleOf(f.error);
        if (throttle) limits.throttledDestination(f.name, throttle);
      }
      for (const c of outcome.copied) {
        copiedSomewhere = true;
        ctx.onCopied(c.name, c.key, r.size);
      }
      const retry = !signal.aborted && attempt < policy.attempts && worthRetrying(outcome);
      if (!retry) break;
      const copied = new Set(outcome.copied.map((c) => c.name));
      targets = targets.filter((t) => !copied.has(t.name));
      // The backoff, or longer when a server asked for it: its Retry-After is a floor, never a suggestion.
      const delayMs = Math.max(
        backoffDelay(policy, attempt),
        limits.waitMs(
          r.source,
          targets.map((t) => t.name),
        ),
      );
      const error = outcome.sourceError ?? outcome.failed[0]?.error;
      ctx.emit({ type: 'retry', fileName: r.fileName, attempt, delayMs, message: describeError(error) });
      await sleep(delayMs, signal).catch(() => {});
    }
  } finally {
    if (holdsSource) limits.releaseSource(r.source, false); // a copy that failed before reaching its source
  }
  meter.filesDone++;
  if (outcome && !signal.aborted) reportFailures(outcome, r, ctx.fail);
  return copiedSomewhere;
}

function reportFailures(
  o: CopyOutcome,
  r: { source: string; assetId: string; fileName: string },
  fail: (f: RunFailure) => void,
) {
  const at = { source: r.source, assetId: r.assetId, fileName: r.fileName };
  if (o.sourceError && !isAbort(o.sourceError)) fail({ ...at, ...codeOf(o.sourceError) });
  for (const f of o.failed) if (!isAbort(f.error)) fail({ ...at, destination: f.name, ...codeOf(f.error) });
}

// A copy's failure names its code apart, and in the message too, as the CLI prints only the message.
export function codeOf(error: unknown): Failure {
  return { ...toFailure(error), message: describeError(error) };
}
