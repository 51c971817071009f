// Runs the seed article's lessons one after another, each in its own Node process, from the
// JavaScript that `tsc -p examples` compiled into examples/.build/. `npm run demo` builds both.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lessons = [
  ['seed-pool', 'Lesson 1: a decorated task on two worker threads'],
  ['without-wraps', 'Lesson 2: a decorator without wraps'],
  ['rebinding', 'Lesson 3: rebinding a referenced name'],
];

let failed = 0;
for (const [name, title] of lessons) {
  const file = fileURLToPath(new URL(`./.build/${name}.js`, import.meta.url));
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run demo\`, which compiles the examples first`);
    process.exit(1);
  }
  console.log(`\n## ${title} (examples/${name}.ts)`);
  const result = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
