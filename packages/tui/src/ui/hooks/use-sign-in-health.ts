import type { SourceHealth } from '@lifeboat/core';
import { useEffect, useState } from 'react';
import type { DependencyContainer } from 'tsyringe';
import { sourceHealth } from '../../commands/health.js';
import { resolveConfig } from '../../container.js';

export type SignInHealth = SourceHealth & { source: string; type: string; daysSinceLogin?: number };

/** The sign-in health of every source that reports one (iCloud), read from the keychain only (no network). */
export function useSignInHealth(c: DependencyContainer): SignInHealth[] {
  const [health, setHealth] = useState<SignInHealth[]>([]);
  useEffect(() => {
    let live = true;
    const config = resolveConfig(c).read();
    void (async () => {
      const out: SignInHealth[] = [];
      for (const [name, s] of Object.entries(config.sources)) {
        const h = await sourceHealth(c, config, name);
        if (h) out.push({ ...h, source: name, type: s.type });
      }
      if (live) setHealth(out);
    })();
    return () => {
      live = false;
    };
  }, [c]);
  return health;
}
