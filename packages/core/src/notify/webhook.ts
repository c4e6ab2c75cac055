import { type RetryPolicy, TransientError, withRetry } from '@lifeboat/plugin-api';
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
  const doFetch = options.fetch ?? fetch;
  let attempts = 0;
  try {
    const status = await withRetry(async (attempt) => {
      attempts = attempt;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'lifeboat' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        // Only the error's kind: a fetch error message can quote the URL.
        throw new TransientError((error as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed');
      }
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return response.status;
      const failed = `HTTP ${response.status}`;
      throw response.status === 429 || response.status >= 500 ? new TransientError(failed) : new Error(failed);
    }, options.retry ?? WEBHOOK_RETRY);
    return { target: 'webhook', ok: true, detail: `HTTP ${status} (attempt ${attempts})` };
  } catch (error) {
    return {
      target: 'webhook',
      ok: false,
      detail: `webhook failed: ${(error as Error).message} (gave up after the attempts allowed)`,
    };
  }
}
