import { defineConfig } from 'vitest/config';

// The real-browser suite (`npm run test:browser`): headless Debian Chromium driven by
// playwright-core. Kept out of `npm test`, which stays fast; `.ci/run` runs both.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
