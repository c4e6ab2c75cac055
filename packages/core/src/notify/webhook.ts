import { backoffDelay, type RetryPolicy, sleep } from '../engine/retry.js';
import type { HookOutcome } from './command-hook.js';
import type { NotifyEvent } from './events.js';

export interface WebhookOptions {
  retry?: RetryPolicy;
  /** Per attempt. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const WEBHOOK_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 15_000 };

/**
 * POSTs the event as JSON to the webhook URL, retrying network errors, 429 and 5xx with backoff. The URL is a
 * secret (tokens often live in it): it never appears in an outcome, a log line or an error.
 */
export async function postWebhook(url: string, event: NotifyEvent, options: WebhookOptions = {}): Promise<HookOutcome> {
  const policy = options.retry ?? WEBHOOK_RETRY;
  const doFetch = options.fetch ?? fetch;
  let last = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let retry: boolean;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'lifeboat' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { target: 'webhook', ok: true, detail: `HTTP ${response.status} (attempt ${attempt})` };
      last = `HTTP ${response.status}`;
      retry = response.status === 429 || response.status >= 500;
    } catch (error) {
      // Only the error's kind: a fetch error message can quote the URL.
      last = (error as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed';
      retry = true;
    }
    if (!retry || attempt === policy.attempts) break;
    await sleep(backoffDelay(policy, attempt));
  }
  return { target: 'webhook', ok: false, detail: `webhook failed: ${last} (gave up after the attempts allowed)` };
}
