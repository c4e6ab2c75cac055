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
  },
});
