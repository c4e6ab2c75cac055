import { availableParallelism } from 'node:os';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // tsyringe needs legacy decorators with metadata; vitest's oxc transform must be told explicitly.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  // Resolve workspace packages to their TypeScript source (no build needed for unit tests);
  // 'module' stays out, or some packages' ESM builds fail to load under Node.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'test/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker less than the CPUs: one worker on a 2-CPU machine. Most end-to-end time is
    // spent waiting (on the CLI children, the simulated iCloud's pace, servers), so more workers than CPUs pay off.
    // LIFEBOAT_TEST_WORKERS overrides it (e.g. 1 to debug an interaction between files).
    maxWorkers: Number(process.env.LIFEBOAT_TEST_WORKERS) || Math.max(3, availableParallelism()),
  },
});
