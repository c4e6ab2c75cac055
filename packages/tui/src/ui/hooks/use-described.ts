import { useEffect, useState } from 'react';
import type { Described } from '../../app/destination-facts.js';
import type { AppServices } from '../../app/services.js';

/** Every configured destination described by its plugin (medium, offsite, free space); reloaded on `version`. */
export function useDescribed(app: AppServices, version = 0): Described[] | undefined {
  const [described, setDescribed] = useState<Described[]>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the signal to describe again
  useEffect(() => {
    let live = true;
    setDescribed(undefined);
    void app.destinations.describeAll().then((d) => live && setDescribed(d));
    return () => {
      live = false;
    };
  }, [app, version]);
  return described;
}
