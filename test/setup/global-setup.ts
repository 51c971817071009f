/**
 * Runs once before the suite. The package itself is built by `npm test` before vitest starts
 * (`npm run build`); this checks that the build exists, so that a bare `npx vitest` fails with a
 * clear message instead of a confusing import error, and compiles the decorator cases with the
 * real TypeScript compiler, once per decorator mode, into `.build/cases/{standard,legacy}/`
 * (vitest's own transformer does not lower standard decorators, and differs on metadata).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));

export default async function setup(): Promise<void> {
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` (or `npm test`, which builds first)');
  }
  await Promise.all(
    ['standard', 'legacy'].map(async (mode) => {
      const project = `test/setup/tsconfig.cases-${mode}.json`;
      try {
        await run(tsc, ['-p', project], { cwd: root });
      } catch (error) {
        const output = (error as { stdout?: string }).stdout ?? '';
        throw new Error(`tsc -p ${project} failed:\n${output}`, { cause: error });
      }
    }),
  );
}
