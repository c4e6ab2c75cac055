import { hostname } from 'node:os';
import { loginNeeded, sendNotification } from '@lifeboat/core';
import { type DaemonState, planState } from '../state/daemon-state.js';
import type { DaemonLog } from './daemon-log.js';
import type { DaemonServices } from './daemon-services.js';

/**
 * Tells each scheduled plan's notification targets, once per sign-in, that a source will soon need a new
 * interactive sign-in (iCloud: a new two-factor code), before unattended runs start failing.
 */
export async function notifyExpiringLogins(
  s: DaemonServices,
  state: DaemonState,
  log: DaemonLog,
  save: () => void,
): Promise<void> {
  const config = s.config.read();
  for (const [plan, p] of Object.entries(config.plans)) {
    if (!p.schedule || !p.notify) continue;
    for (const source of p.sources) {
      const health = await s.health.sourceHealth(config, source);
      if (health?.state !== 'login-soon') continue;
      const ps = planState(state, plan);
      const key = `${source}@${health.loginExpiresAt ?? ''}`;
      if (ps.loginSoonNotified?.includes(key)) continue;
      const base = { version: 1 as const, plan, at: new Date().toISOString(), host: hostname() };
      const event = loginNeeded(base, source, 'expiring-soon', health.lastLoginAt);
      const outcomes = await sendNotification(p.notify, event, { secrets: s.secrets() });
      log.info(
        `notified login-needed (${source} expiring soon): ${outcomes.map((o) => `${o.target} ${o.ok ? 'ok' : o.detail}`).join('; ')}`,
        {
          plan,
          notified: event.type,
          outcomes,
        },
      );
      ps.loginSoonNotified = [...(ps.loginSoonNotified ?? []), key].slice(-20);
      save();
    }
  }
}
