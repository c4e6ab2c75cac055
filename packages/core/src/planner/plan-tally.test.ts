import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PlannableResource, planBackup } from './plan-backup.js';
import { PlanTally } from './plan-tally.js';

const resourceArb = fc.record({
  source: fc.constantFrom('icloud', 'folder'),
  assetId: fc.string({ minLength: 1, maxLength: 4 }),
  kind: fc.constantFrom('original', 'edited', 'live-video'),
  version: fc.constantFrom('v1', 'v2'),
  size: fc.nat({ max: 200 * 1024 * 1024 }),
  fileName: fc.constant('IMG.JPG'),
});

const destinationsArb = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('drive-a', 'drive-b', 's3', 'nas'),
    free: fc.option(fc.nat({ max: 2 * 1024 ** 3 }), { nil: undefined }),
    offsite: fc.boolean(),
  }),
  { minLength: 1, maxLength: 4, selector: (d) => d.name },
);

describe('PlanTally', () => {
  it('plans batch by batch exactly what planBackup plans on the whole list', () => {
    fc.assert(
      fc.property(
        fc.array(resourceArb, { maxLength: 60 }),
        destinationsArb,
        fc.array(fc.nat({ max: 10 }), { maxLength: 20 }),
        fc.integer(),
        (resources, dests, cuts, seed) => {
          const destinations = dests.map((d) => ({
            name: d.name,
            description: {
              location: `/mnt/${d.name}`,
              medium: d.name,
              mediumKind: d.offsite ? 'cloud' : 'disk',
              offsite: d.offsite,
              layout: '{name}',
              ...(d.free === undefined ? {} : { freeBytes: d.free }),
            },
          }));
          // Which destinations hold which resource: any fixed answer per (destination, resource).
          const hasCopy = (dest: string, r: PlannableResource) =>
            ((seed ^ (dest.length * 31 + r.assetId.length * 7 + r.size)) & 3) === 0;

          const whole = planBackup({ resources, destinations, hasCopy, fitToSpace: false });

          const tally = new PlanTally(destinations);
          const work: typeof whole.work = [];
          let at = 0;
          for (const cut of [...cuts, resources.length]) {
            const batch = resources.slice(at, at + cut);
            at += batch.length;
            const plan = planBackup({ resources: batch, destinations, hasCopy, fitToSpace: false });
            tally.add(plan);
            work.push(...plan.work);
          }
          const rest = planBackup({ resources: resources.slice(at), destinations, hasCopy, fitToSpace: false });
          tally.add(rest);
          work.push(...rest.work);

          expect(work).toEqual(whole.work);
          const { work: _, ...figures } = whole;
          expect(tally.figures()).toEqual(figures);
        },
      ),
      { numRuns: 300 },
    );
  });
});
