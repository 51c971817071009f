// The shared harness of the benchmark files. Tasks are measured in interleaved rounds (A, B, A,
// B, ...) so that a burst of load on this shared machine hits every task alike; each round times
// a loop of many calls, because a single call of a few nanoseconds is below the timer's grain.
// Only ratios within one run mean anything; absolute times are printed for the record.

/**
 * Measures each task and prints its median time per operation and its ratio to the first task.
 * @param {string} title
 * @param {Record<string, (iterations: number) => unknown>} tasks - each runs `iterations` operations
 * @param {{ rounds?: number, iterations?: number, goal?: Record<string, string> }} [options]
 * @returns {{ name: string, ns: number, ratio: number }[]}
 */
export function compare(title, tasks, options = {}) {
  const rounds = options.rounds ?? 15;
  const iterations = options.iterations ?? 100_000;
  const entries = Object.entries(tasks);
  const samples = entries.map(() => []);
  for (const [, run] of entries) run(Math.ceil(iterations / 10)); // warm up every task first
  for (let round = 0; round < rounds; round++) {
    entries.forEach(([, run], index) => {
      const start = process.hrtime.bigint();
      sink = run(iterations);
      samples[index].push(Number(process.hrtime.bigint() - start) / iterations);
    });
  }
  return report(title, entries, samples, options.goal);
}

/**
 * Async variant for tasks that return promises; each round awaits `iterations` operations.
 * @param {string} title
 * @param {Record<string, (iterations: number) => Promise<unknown>>} tasks
 * @param {{ rounds?: number, iterations?: number, goal?: Record<string, string> }} [options]
 * @returns {Promise<{ name: string, ns: number, ratio: number }[]>}
 */
export async function compareAsync(title, tasks, options = {}) {
  const rounds = options.rounds ?? 9;
  const iterations = options.iterations ?? 1000;
  const entries = Object.entries(tasks);
  const samples = entries.map(() => []);
  for (const [, run] of entries) await run(Math.ceil(iterations / 10));
  for (let round = 0; round < rounds; round++) {
    for (const [index, [, run]] of entries.entries()) {
      const start = process.hrtime.bigint();
      sink = await run(iterations);
      samples[index].push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  return report(title, entries, samples, options.goal);
}

/** Prints each task's median per operation and its ratio to the first task; returns the rows. */
function report(title, entries, samples, goals = {}) {
  const rows = entries.map(([name], index) => ({ name, ns: median(samples[index]) }));
  const base = rows[0].ns;
  console.log(`\n${title}`);
  for (const row of rows) {
    row.ratio = row.ns / base;
    const goal = goals[row.name] ? `  (goal ${goals[row.name]})` : '';
    console.log(
      `  ${row.name.padEnd(52)} ${format(row.ns).padStart(10)}  ${row.ratio.toFixed(2)}x${goal}`,
    );
  }
  return rows;
}

// Results go to a module-level sink so that the optimiser cannot drop the measured work.
export let sink;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function format(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1000) return `${(ns / 1000).toFixed(2)} us`;
  return `${ns.toFixed(1)} ns`;
}
