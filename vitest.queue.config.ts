import { defineConfig } from 'vitest/config';

// The real-server suites (`npm run test:queue`): PostgreSQL and Redis started by the tests.
export default defineConfig({
  test: {
    include: ['test/queue-servers/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
