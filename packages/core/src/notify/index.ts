export { type HookOutcome, runCommandHook } from './command-hook.js';
export {
  type AssetsOffloadedEvent,
  type AssetsVanishedEvent,
  assetsOffloaded,
  eventsForRun,
  isLoginRequired,
  type LoginNeededEvent,
  loginNeeded,
  NOTIFY_EVENT_TYPES,
  type NotifyEvent,
  type NotifyEventType,
  type NotifyFailure,
  type RunEventContext,
  type RunFailedEvent,
  type RunRecoveredEvent,
} from './events.js';
export { type SendOptions, sendNotification, WEBHOOK_SECRET_KEY, webhookScope } from './send.js';
export { postWebhook, WEBHOOK_RETRY, type WebhookOptions } from './webhook.js';
