/**
 * Runs once before the suite. The package itself is built by `npm test` before vitest starts
 * (`npm run build`); this only checks that the build exists, so that a bare `npx vitest` fails
 * with a clear message instead of a confusing import error.
 */
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` (or `npm test`, which builds first)');
  }
}
