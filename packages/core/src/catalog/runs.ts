import { CatalogError } from '@lifeboat/plugin-api';
import type { Statements } from './db.js';
import { toRun } from './rows.js';
import type { RunOutcome, RunRecord } from './types.js';

/** The history of runs: what `status` shows, and how the engine knows when a plan last succeeded. */
export class RunStore {
  readonly #statements: Statements;

  constructor(statements: Statements) {
    this.#statements = statements;
  }

  startRun(plan: string, now: string): number {
    const result = this.#statements.get('INSERT INTO runs (plan, started_at) VALUES (?, ?)').run(plan, now);
    return Number(result.lastInsertRowid);
  }

  finishRun(runId: number, outcome: RunOutcome): void {
    let summary: string | null;
    try {
      summary = outcome.summary === undefined ? null : JSON.stringify(outcome.summary);
    } catch (error) {
      throw new CatalogError(`The summary of run ${runId} cannot be stored.`, {
        hint: 'This is a bug in Lifeboat: a run summary must be plain JSON data.',
        cause: error,
      });
    }
    const result = this.#statements
      .get(
        `UPDATE runs SET finished_at = ?, ok = ?, files_copied = ?, bytes_copied = ?, gone_count = ?, summary = ?
         WHERE run_id = ?`,
      )
      .run(
        outcome.finishedAt,
        outcome.ok ? 1 : 0,
        outcome.filesCopied,
        outcome.bytesCopied,
        outcome.goneCount,
        summary,
        runId,
      );
    if (result.changes === 0 || result.changes === 0n) {
      throw new CatalogError(`There is no run ${runId} to finish.`, { hint: 'This is a bug in Lifeboat.' });
    }
  }

  /** Most recent first, including runs still going or killed (no `finishedAt`). */
  lastRuns(plan: string | undefined, limit: number): RunRecord[] {
    const rows =
      plan === undefined
        ? this.#statements.get('SELECT * FROM runs ORDER BY run_id DESC LIMIT ?').all(limit)
        : this.#statements.get('SELECT * FROM runs WHERE plan = ? ORDER BY run_id DESC LIMIT ?').all(plan, limit);
    return rows.map(toRun);
  }

  lastSuccess(plan: string): RunRecord | undefined {
    return this.#last(plan, 1);
  }

  lastFailure(plan: string): RunRecord | undefined {
    return this.#last(plan, 0);
  }

  #last(plan: string, ok: 0 | 1): RunRecord | undefined {
    const row = this.#statements
      .get('SELECT * FROM runs WHERE plan = ? AND ok = ? ORDER BY run_id DESC LIMIT 1')
      .get(plan, ok);
    return row === undefined ? undefined : toRun(row);
  }
}
