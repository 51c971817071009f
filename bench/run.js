// Runs every bench/*.bench.js in its own Node process, one after another, so that one
// benchmark's JIT state and garbage cannot tilt the next one. Each file prints its own ratios;
// every goal judged on the way is listed again at the end, so that one `npm run bench` shows
// them all. `npm run bench -- NAME` runs the files whose name contains NAME.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.js'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

const directory = mkdtempSync(join(tmpdir(), 'selfsame-bench-summary-'));
const summary = join(directory, 'goals.jsonl');
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
console.log(`Node ${process.version}; load average at start: ${load()}`);

let failed = 0;
try {
  for (const file of files) {
    console.log(`\n# ${file}`);
    const result = spawnSync(process.execPath, ['--expose-gc', `${here}${file}`], {
      stdio: 'inherit',
      env: { ...process.env, SELFSAME_BENCH_SUMMARY: summary },
    });
    if (result.status !== 0) failed += 1;
  }
  // The file exists once a benchmark has judged a goal.
  const lines = existsSync(summary)
    ? readFileSync(summary, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse)
    : [];
  if (lines.length > 0) {
    console.log(`\n# Goals (load average at end: ${load()})`);
    for (const { line } of lines) console.log(`  ${line}`);
    const judged = lines.filter(({ met }) => met !== null);
    const missed = judged.filter(({ met }) => met === false).length;
    console.log(`  ${judged.length - missed} of ${judged.length} goals met`);
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
process.exitCode = failed === 0 ? 0 : 1;
