import { afterEach, beforeEach, describe, it } from 'vitest';
import type { Destination } from '../api/destination.js';
import { withKeyChecks } from '../toolkit/key-checked-destination.js';
import { DESTINATION_CHECKS, type DestinationCheck } from './destination-checks.js';
import { atomicityChecks } from './suite-atomicity.js';
import { concurrencyChecks } from './suite-concurrency.js';
import type {
  DestinationFactory,
  DestinationSuiteOptions,
  HttpAccess,
  StoreAccess,
  SuiteContext,
} from './suite-context.js';
import { deadlineChecks } from './suite-deadline.js';
import { listingChecks } from './suite-listing.js';
import { nameChecks } from './suite-names.js';
import { rangeChecks } from './suite-ranges.js';
import { roundTripChecks } from './suite-roundtrip.js';
import { storeChecks } from './suite-store.js';

/**
 * Registers a vitest `describe(name)` block that checks every guarantee of the Destination contract against a
 * fresh destination per check. Call it at the top level of a `*.test.ts` file run by vitest:
 *
 *   runDestinationSuite('DiskDestination', async () => {
 *     const root = await mkdtemp(join(tmpdir(), 'disk-'));
 *     return { destination: new DiskDestination({ root }), cleanup: () => rm(root, { recursive: true }) };
 *   });
 *
 * The factory returns a new, empty destination. Like the host, the suite puts it behind the key checks
 * (`withKeyChecks`: invalid keys never reach it), calls `prepare()` then `recover()` (when present) before each
 * check, and `close()` after it, before `cleanup`. Unlike a run, it calls the destination without core's retries:
 * a transient failure fails the check.
 */
export function runDestinationSuite(
  name: string,
  factory: DestinationFactory,
  options: DestinationSuiteOptions = {},
): void {
  const skip = new Set<string>(options.skip ?? []);
  // A misspelt skip would silently run (and fail) the check it meant to skip, or worse, outlive a rename.
  const unknown = [...skip].filter((s) => !(DESTINATION_CHECKS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`runDestinationSuite: unknown checks in skip: ${unknown.join(', ')}`);
  const timeout = options.timeoutMs ?? 120_000;

  describe(name, () => {
    let current:
      | { destination: Destination; cleanup?: () => Promise<void>; store?: StoreAccess; http?: HttpAccess }
      | undefined;

    beforeEach(async () => {
      const made = await factory();
      current = { ...made, destination: withKeyChecks(made.destination) };
      await current.destination.prepare?.();
      await current.destination.recover?.();
    }, timeout);

    afterEach(async () => {
      const done = current;
      current = undefined;
      try {
        await done?.destination.close?.();
      } finally {
        await done?.cleanup?.();
      }
    }, timeout);

    const registered = new Set<DestinationCheck>();
    const context: SuiteContext = {
      dest() {
        if (!current) throw new Error('runDestinationSuite: no destination outside a check');
        return current.destination;
      },
      store: () => current?.store,
      http: () => current?.http,
      largeObjectBytes: options.largeObjectBytes ?? 8 * 1024 * 1024,
      manyKeys: options.manyKeys ?? 300,
      options,
      check(checkName, fn) {
        if (registered.has(checkName)) throw new Error(`runDestinationSuite: check registered twice: ${checkName}`);
        registered.add(checkName);
        if (!skip.has(checkName)) it(checkName, fn, timeout);
      },
    };

    roundTripChecks(context);
    listingChecks(context);
    atomicityChecks(context);
    nameChecks(context);
    concurrencyChecks(context);
    storeChecks(context);
    deadlineChecks(context);
    rangeChecks(context);

    // Keeps DESTINATION_CHECKS honest: every published name is a check that exists.
    const missing = DESTINATION_CHECKS.filter((c) => !registered.has(c));
    if (missing.length > 0) throw new Error(`runDestinationSuite: checks never registered: ${missing.join(', ')}`);
  });
}
