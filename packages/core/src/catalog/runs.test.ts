import { CatalogError } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';

let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
});
afterEach(() => catalog.close());

const outcome = (ok: boolean, finishedAt: string) => ({
  ok,
  filesCopied: 3,
  bytesCopied: 300,
  goneCount: 1,
  summary: { note: 'hi' },
  finishedAt,
});

describe('runs', () => {
  it('records a run from start to finish', () => {
    const runId = catalog.startRun('daily', 'T1');
    expect(catalog.lastRuns('daily', 5)).toEqual([
      {
        runId,
        plan: 'daily',
        startedAt: 'T1',
        finishedAt: undefined,
        ok: undefined,
        filesCopied: 0,
        bytesCopied: 0,
        goneCount: 0,
        summary: undefined,
      },
    ]);
    catalog.finishRun(runId, outcome(true, 'T2'));
    expect(catalog.lastRuns('daily', 5)[0]).toEqual({
      runId,
      plan: 'daily',
      startedAt: 'T1',
      finishedAt: 'T2',
      ok: true,
      filesCopied: 3,
      bytesCopied: 300,
      goneCount: 1,
      summary: { note: 'hi' },
    });
  });

  it('finds the last success and the last failure of a plan, ignoring runs still going', () => {
    const r1 = catalog.startRun('daily', 'T1');
    catalog.finishRun(r1, outcome(true, 'T1b'));
    const r2 = catalog.startRun('daily', 'T2');
    catalog.finishRun(r2, outcome(false, 'T2b'));
    const r3 = catalog.startRun('daily', 'T3');
    catalog.finishRun(r3, outcome(true, 'T3b'));
    const r4 = catalog.startRun('other', 'T4');
    catalog.finishRun(r4, outcome(false, 'T4b'));
    catalog.startRun('daily', 'T5'); // killed: never finished
    expect(catalog.lastSuccess('daily')?.runId).toBe(r3);
    expect(catalog.lastFailure('daily')?.runId).toBe(r2);
    expect(catalog.lastSuccess('nothing')).toBeUndefined();
    expect(catalog.lastRuns('daily', 2).map((r) => r.startedAt)).toEqual(['T5', 'T3']);
    expect(catalog.lastRuns(undefined, 10)).toHaveLength(5);
    expect(catalog.lastRuns()).toHaveLength(5);
  });

  it('refuses to finish an unknown run', () => {
    expect(() => catalog.finishRun(42, outcome(true, 'T'))).toThrow(CatalogError);
  });
});
