import type { Health } from '../app/dashboard.js';

/** Colour is a help, never the only signal: every coloured state is also said in words. NO_COLOR turns it off. */
export const colorEnabled = (env: NodeJS.ProcessEnv = process.env) => !('NO_COLOR' in env && env.NO_COLOR !== '');

const HEALTH_COLOR: Record<Health, string> = { ok: 'green', warn: 'yellow', bad: 'red' };

export function healthColor(health: Health): string | undefined {
  return colorEnabled() ? HEALTH_COLOR[health] : undefined;
}

export function accent(): string | undefined {
  return colorEnabled() ? 'cyan' : undefined;
}
