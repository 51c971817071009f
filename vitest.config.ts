import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-server suites run with `npm run test:queue` (vitest.queue.config.ts).
    exclude: ['test/queue-servers/**', '**/node_modules/**'],
    globalSetup: ['test/setup/global-setup.ts'],
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
