import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIcloudSourceFactory } from './factory.js';
import { icloudHealth, LOGIN_WARN_DAYS, TRUST_LIFETIME_DAYS, TRUSTED_AT_KEY, withHealth } from './health.js';
import { instanceContext, MapSecrets, scriptedPrompts } from './test-helpers/context.js';

const DAY = 86_400_000;

describe('iCloud session health', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 5 });
  });
  afterEach(() => sim.stop());
  const settings = () => ({ appleId: sim.account.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl });

  it('records when a login went through two-factor authentication, and not when the trust token spared it', async () => {
    let now = new Date('2026-03-01T10:00:00Z');
    const factory = withHealth(createIcloudSourceFactory(), () => now);
    const ctx = instanceContext();
    await factory.login!(
      settings(),
      ctx,
      scriptedPrompts({ password: sim.account.password, codes: [{ code: sim.account.code }] }),
    );
    expect(ctx.secrets.map.get(TRUSTED_AT_KEY)).toBe('2026-03-01T10:00:00.000Z');

    now = new Date('2026-03-05T10:00:00Z');
    ctx.secrets.map.delete('session'); // a new sign-in within the trust period: no code
    await factory.login!(settings(), ctx, scriptedPrompts({ password: sim.account.password }));
    expect(ctx.secrets.map.get(TRUSTED_AT_KEY)).toBe('2026-03-01T10:00:00.000Z');

    const source = await factory.create(settings(), ctx);
    expect(await source.health!()).toEqual({
      state: 'ok',
      lastLoginAt: '2026-03-01T10:00:00.000Z',
      loginExpiresAt: new Date(Date.parse('2026-03-01T10:00:00Z') + TRUST_LIFETIME_DAYS * DAY).toISOString(),
      message: 'last two-factor sign-in 4 days ago',
    });
    await source.close?.();
  });

  it('warns that a new code is needed soon, and says when no sign-in is stored', async () => {
    const secrets = new MapSecrets();
    expect(await icloudHealth(secrets, 'iphone')).toEqual({
      state: 'login-required',
      message: 'not signed in: run `lifeboat login iphone`',
    });
    const ctx = instanceContext(secrets);
    await createIcloudSourceFactory().login!(
      settings(),
      ctx,
      scriptedPrompts({ password: sim.account.password, codes: [{ code: sim.account.code }] }),
    );
    expect((await icloudHealth(secrets, 'iphone')).message).toContain('not known'); // logged in before dates were kept
    await secrets.set(TRUSTED_AT_KEY, '2026-01-01T00:00:00Z');
    const justBefore = new Date(Date.parse('2026-01-01T00:00:00Z') + (TRUST_LIFETIME_DAYS - LOGIN_WARN_DAYS) * DAY - 1);
    expect((await icloudHealth(secrets, 'iphone', justBefore)).state).toBe('ok');
    const soon = await icloudHealth(secrets, 'iphone', new Date(justBefore.getTime() + 2));
    expect(soon).toMatchObject({ state: 'login-soon', lastLoginAt: '2026-01-01T00:00:00.000Z' });
    expect(soon.message).toBe(
      `last two-factor sign-in ${TRUST_LIFETIME_DAYS - LOGIN_WARN_DAYS} days ago; Apple will ask for a new code soon: run \`lifeboat login iphone\``,
    );
  });
});
