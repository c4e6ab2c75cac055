import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RetryPolicy, ScopedSecrets, Source } from '@lifeboat/core';
import type { Simulator } from '@lifeboat/icloud-sim';
import { createIcloudSourceFactory } from '@lifeboat/plugin-icloud';

const fast = { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 };

/** Signs in to the simulator (password + code) through the plugin's public factory, as the CLI's login does. */
export async function signedInSource(
  sim: Simulator,
  retry: RetryPolicy = fast,
): Promise<{ source: Source; cleanup: () => Promise<void> }> {
  const storageDir = await mkdtemp(join(tmpdir(), 'icloud-src-'));
  const factory = createIcloudSourceFactory({ storageDir, retry });
  const map = new Map<string, string>();
  const secrets: ScopedSecrets = {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const context = { name: 'my-icloud', logger: quiet, secrets, signal: new AbortController().signal };
  const settings = { appleId: sim.account.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl };
  await factory.login!(settings, context, {
    password: async () => sim.account.password,
    code: async () => ({ code: sim.account.code }),
    info() {},
  });
  const source = await factory.create(settings, context);
  return {
    source,
    cleanup: async () => {
      await source.close?.();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
