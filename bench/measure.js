// The shared harness of the benchmark files. Tasks are measured in interleaved rounds (A, B, A,
// B, ...) so that a burst of load on this shared machine hits every task alike; each round times
// a loop of many calls, because a single call of a few nanoseconds is below the timer's grain.
// Only ratios within one run mean anything; absolute times are printed for the record.
import { appendFileSync } from 'node:fs';

/**
 * A goal: `task`'s time against `vs`'s time in the same run. `max` bounds `task / vs` (a cost:
 * "at most 1.2x the floor"); `min` bounds `vs / task` (a speed-up: "at least 1.9x as fast");
 * with neither, the ratio `task / vs` is printed for the record.
 * @typedef {{ task: string, vs: string, max?: number, min?: number, label?: string }} Goal
 */

/**
 * The order of the tasks in one round: as given, or, with `rotate`, starting one task later each
 * round. Measured on the trackExecutionTime rows, the task run first in a round came out about
 * 10% faster than the same code run later in it; rotating spreads that over every task.
 * @param {number} round
 * @param {number} count
 * @param {boolean | undefined} rotate
 * @returns {number[]}
 */
function orderOf(round, count, rotate) {
  return Array.from({ length: count }, (_, offset) => (rotate ? (round + offset) % count : offset));
}

/**
 * Measures each task and prints its median time per operation and its ratio to the first task.
 * @param {string} title
 * @param {Record<string, (iterations: number) => unknown>} tasks - each runs `iterations` operations
 * @param {{ rounds?: number, iterations?: number, rotate?: boolean, goals?: Goal[] }} [options]
 * @returns {{ name: string, ns: number, ratio: number }[]}
 */
export function compare(title, tasks, options = {}) {
  const rounds = options.rounds ?? 15;
  const iterations = options.iterations ?? 100_000;
  const entries = Object.entries(tasks);
  const samples = entries.map(() => []);
  for (const [, run] of entries) run(Math.ceil(iterations / 10)); // warm up every task first
  for (let round = 0; round < rounds; round++) {
    for (const index of orderOf(round, entries.length, options.rotate)) {
      const start = process.hrtime.bigint();
      sink = entries[index][1](iterations);
      samples[index].push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  return report(title, entries, samples, options.goals);
}

/**
 * Async variant for tasks that return promises; each round awaits `iterations` operations.
 * A task may return `{ ns }` to report its own time per operation (a peer timed in another
 * process, such as Python, or a task that times only part of what it does).
 * @param {string} title
 * @param {Record<string, (iterations: number) => Promise<unknown>>} tasks
 * @param {{ rounds?: number, iterations?: number, warmup?: number, rotate?: boolean, goals?: Goal[] }} [options]
 * @returns {Promise<{ name: string, ns: number, ratio: number }[]>}
 */
export async function compareAsync(title, tasks, options = {}) {
  const rounds = options.rounds ?? 9;
  const iterations = options.iterations ?? 1000;
  const entries = Object.entries(tasks);
  const samples = entries.map(() => []);
  for (const [, run] of entries) await run(options.warmup ?? Math.ceil(iterations / 10));
  for (let round = 0; round < rounds; round++) {
    for (const index of orderOf(round, entries.length, options.rotate)) {
      const start = process.hrtime.bigint();
      sink = await entries[index][1](iterations);
      const own = typeof sink === 'object' && sink !== null && 'ns' in sink ? sink.ns : undefined;
      samples[index].push(own ?? Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  return report(title, entries, samples, options.goals);
}

/**
 * Measures single operations one at a time, interleaved (A, B, A, B, ...), and reports each
 * task's median operation: a latency, where a loop's mean would hide the shape of the spread.
 * @param {string} title
 * @param {Record<string, () => Promise<unknown>>} tasks - each runs one operation
 * @param {{ samples?: number, warmup?: number, goals?: Goal[] }} [options]
 */
export async function compareLatency(title, tasks, options = {}) {
  const count = options.samples ?? 2000;
  const entries = Object.entries(tasks);
  const samples = entries.map(() => []);
  for (const [, run] of entries) for (let i = 0; i < (options.warmup ?? 200); i++) await run();
  for (let sample = 0; sample < count; sample++) {
    for (const [index, [, run]] of entries.entries()) {
      const start = process.hrtime.bigint();
      sink = await run();
      samples[index].push(Number(process.hrtime.bigint() - start));
    }
  }
  return report(`${title} (p50 of ${count} each)`, entries, samples, options.goals);
}

/**
 * Prints each task's median per operation and its ratio to the first task, then each goal
 * (met or missed); returns the rows. Goals also go to the run's summary (see run.js).
 */
export function report(title, entries, samples, goals = []) {
  const rows = entries.map(([name], index) => ({ name, ns: median(samples[index]) }));
  const base = rows[0].ns;
  console.log(`\n${title}`);
  for (const row of rows) {
    row.ratio = row.ns / base;
    console.log(
      `  ${row.name.padEnd(56)} ${format(row.ns).padStart(10)}  ${row.ratio.toFixed(2)}x`,
    );
  }
  for (const goal of goals) judge(title, rows, goal);
  return rows;
}

/** Prints one goal's ratio and verdict, and records it in the run's summary. */
function judge(title, rows, goal) {
  const find = (name) => {
    const row = rows.find((candidate) => candidate.name === name);
    if (row === undefined) throw new Error(`No task named ${JSON.stringify(name)} in "${title}"`);
    return row;
  };
  const task = find(goal.task);
  const vs = find(goal.vs);
  const speedup = goal.min !== undefined;
  const ratio = speedup ? vs.ns / task.ns : task.ns / vs.ns;
  const label =
    goal.label ??
    (speedup ? `${goal.task}: speed-up over ${goal.vs}` : `${goal.task} / ${goal.vs}`);
  // A comparison without a bound is printed for the record, never judged.
  const met = speedup ? ratio >= goal.min : goal.max === undefined ? null : ratio <= goal.max;
  const verdict =
    met === null
      ? 'for the record'
      : `goal ${speedup ? `>= ${goal.min}x` : `<= ${goal.max}x`}: ${met ? 'met' : 'MISSED'}`;
  const line = `${label}: ${ratio.toFixed(2)}x (${verdict})`;
  console.log(`  => ${line}`);
  const summary = process.env.SELFSAME_BENCH_SUMMARY;
  if (summary) appendFileSync(summary, `${JSON.stringify({ title, line, met })}\n`);
}

/** Prints a line saying why a comparison was not measured, and records it in the summary. */
export function skip(what, why) {
  const line = `${what}: skipped (${why})`;
  console.log(`\n  => ${line}`);
  const summary = process.env.SELFSAME_BENCH_SUMMARY;
  if (summary) appendFileSync(summary, `${JSON.stringify({ title: what, line, met: null })}\n`);
}

// Results go to a module-level sink so that the optimiser cannot drop the measured work.
export let sink;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function format(ns) {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1000) return `${(ns / 1000).toFixed(2)} us`;
  return `${ns.toFixed(1)} ns`;
}
