import { useEffect, useState } from 'react';
import type { DependencyContainer } from 'tsyringe';
import { type Described, describeDestinations } from '../../app/destination-facts.js';
import { resolveConfig } from '../../container.js';

/** Every configured destination described by its plugin (medium, offsite, free space); reloaded on `version`. */
export function useDescribed(c: DependencyContainer, version = 0): Described[] | undefined {
  const [described, setDescribed] = useState<Described[]>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the signal to describe again
  useEffect(() => {
    let live = true;
    setDescribed(undefined);
    void describeDestinations(c, Object.keys(resolveConfig(c).read().destinations)).then(
      (d) => live && setDescribed(d),
    );
    return () => {
      live = false;
    };
  }, [c, version]);
  return described;
}
