import type { NotifyConfig } from '../config/index.js';
import type { SecretScope, SecretStore } from '../secrets/index.js';
import { type HookOutcome, runCommandHook } from './command-hook.js';
import type { NotifyEvent } from './events.js';
import { postWebhook, type WebhookOptions } from './webhook.js';

/** The secret key holding a plan's webhook URL. */
export const WEBHOOK_SECRET_KEY = 'webhookUrl';

/**
 * Where a plan's webhook URL is kept in the secrets store (keychain or vault): its own scope, service
 * `lifeboat/notify/destination/<plan>` (a notification destination), apart from every plugin's secrets.
 */
export function webhookScope(plan: string): SecretScope {
  return { pluginId: 'notify', kind: 'destination', name: plan };
}

export interface SendOptions {
  secrets?: SecretStore;
  commandTimeoutMs?: number;
  webhook?: WebhookOptions;
}

/** Sends one event to every target a plan configured; never throws (a broken hook must not fail a backup). */
export async function sendNotification(
  config: NotifyConfig | undefined,
  event: NotifyEvent,
  options: SendOptions = {},
): Promise<HookOutcome[]> {
  const outcomes: HookOutcome[] = [];
  if (config?.command) outcomes.push(await runCommandHook(config.command, event, options.commandTimeoutMs));
  if (config?.webhook) {
    const url = await options.secrets?.get(webhookScope(event.plan), WEBHOOK_SECRET_KEY).catch(() => undefined);
    if (url) outcomes.push(await postWebhook(url, event, options.webhook));
    else outcomes.push({ target: 'webhook', ok: false, detail: 'the webhook URL is not in the secrets store' });
  }
  return outcomes;
}
