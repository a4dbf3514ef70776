import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "source"
// condition, so tests run against src/ without a build; end-to-end tests spawn
// the compiled CLI (packages/cli/bin.js), which `pnpm test` builds first.
const conditions = ['source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/user-caches.ts'],
    setupFiles: ['test/setup/temporary-folders.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
