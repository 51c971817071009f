import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-server suites run with `npm run test:queue` (vitest.queue.config.ts).
    exclude: ['test/queue-servers/**', '**/node_modules/**'],
    globalSetup: ['test/setup/global-setup.ts'],
    // The type tests (test/**/*.test-d.ts) are compiled by `npm run typecheck` (tsconfig.json
    // includes them), where a failed `expectTypeOf` is a compile error; vitest's own typecheck
    // mode would only run the same tsc again, under an "experimental feature" banner.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
