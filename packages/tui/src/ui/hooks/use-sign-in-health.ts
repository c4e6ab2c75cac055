import type { SourceHealth } from '@lifeboat/core';
import { useEffect, useState } from 'react';
import type { AppServices } from '../../app/services.js';

export type SignInHealth = SourceHealth & { source: string; type: string; daysSinceLogin?: number };

/** The sign-in health of every source that reports one (iCloud), read from the keychain only (no network). */
export function useSignInHealth(app: AppServices): SignInHealth[] {
  const [health, setHealth] = useState<SignInHealth[]>([]);
  useEffect(() => {
    let live = true;
    const config = app.config();
    void (async () => {
      const out: SignInHealth[] = [];
      for (const [name, s] of Object.entries(config.sources)) {
        const h = await app.health.sourceHealth(config, name);
        if (h) out.push({ ...h, source: name, type: s.type });
      }
      if (live) setHealth(out);
    })();
    return () => {
      live = false;
    };
  }, [app]);
  return health;
}
