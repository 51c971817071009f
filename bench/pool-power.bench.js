// The pool's transfer and cancellation, measured in the same run on the same machine:
// - a 1 MB ArrayBuffer result moved back by transfer() against copied back by structured clone;
// - cancellation latency, from the caller's abort() to the call settling: a task that stops by
//   itself within abortGracePeriod (its worker kept) against the default (its worker replaced).
import { Pool } from 'selfsame/pool';
import { bufferByCopy, bufferByTransfer, waitForAbort } from './fixtures/pool-power-tasks.js';
import { compareAsync, median } from './measure.js';

const MB = 1 << 20;
const pool = new Pool({ size: 2 });

/** Median milliseconds from abort() to the call settling, over `samples` calls on `target`. */
async function abortLatency(target, samples) {
  const times = [];
  for (let sample = 0; sample < samples; sample++) {
    const controller = new AbortController();
    let running;
    const started = new Promise((resolve) => {
      running = resolve;
    });
    const call = target
      .apply(waitForAbort, [], { signal: controller.signal, onProgress: () => running() })
      .catch(() => undefined);
    await started;
    const start = process.hrtime.bigint();
    controller.abort(new Error('benchmark'));
    await call;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

try {
  await compareAsync(
    'A 1 MB ArrayBuffer result, per call',
    {
      'returned by copy (structured clone)': async (n) => {
        for (let i = 0; i < n; i++) await pool.apply(bufferByCopy, [MB]);
      },
      'returned by transfer()': async (n) => {
        for (let i = 0; i < n; i++) await pool.apply(bufferByTransfer, [MB]);
      },
    },
    {
      rounds: 9,
      iterations: 200,
      goals: [
        {
          task: 'returned by transfer()',
          vs: 'returned by copy (structured clone)',
          min: 1.0,
          label: '1 MB result by transfer: speed-up over by copy',
        },
      ],
    },
  );

  const cooperative = new Pool({ size: 1, abortGracePeriod: 10_000 });
  const replacing = new Pool({ size: 1 });
  try {
    const samples = 40;
    const kept = await abortLatency(cooperative, samples);
    const replaced = await abortLatency(replacing, samples);
    console.log(`\nCancellation latency, abort() to the call settled (median of ${samples})`);
    console.log(`  ${'task stops by itself (abortGracePeriod)'.padEnd(56)} ${kept.toFixed(2)} ms`);
    console.log(`  ${'worker replaced (default)'.padEnd(56)} ${replaced.toFixed(2)} ms`);
  } finally {
    await Promise.all([cooperative.terminate(), replacing.terminate()]);
  }
} finally {
  await pool.terminate();
}

// Lazy imap: peak memory over 1,000,000 generated items against 10,000, each in a fresh process.
{
  const { execFileSync } = await import('node:child_process');
  const script = new URL('./fixtures/lazy-imap-memory.js', import.meta.url).pathname;
  const measure = (count) =>
    JSON.parse(execFileSync(process.execPath, [script, String(count)], { encoding: 'utf8' }));
  const runs = { small: [], large: [] };
  for (let round = 0; round < 3; round++) {
    runs.small.push(measure(10_000));
    runs.large.push(measure(1_000_000));
  }
  const peak = (list) => median(list.map((run) => run.peak));
  const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const ratio = peak(runs.large) / peak(runs.small);
  console.log('\nLazy imap over generated items, chunksize 1000 (median of 3 fresh processes)');
  for (const [name, list] of [
    ['10,000 items', runs.small],
    ['1,000,000 items', runs.large],
  ]) {
    console.log(
      `  ${name.padEnd(56)} peak RSS ${mb(peak(list)).padStart(9)}  ${median(list.map((run) => run.ms)).toFixed(0)} ms`,
    );
  }
  const met = ratio <= 1.2;
  const line = `Lazy imap peak memory, 1,000,000 / 10,000 items: ${ratio.toFixed(2)}x (goal <= 1.2x: ${met ? 'met' : 'MISSED'})`;
  console.log(`  => ${line}`);
  const summary = process.env.SELFSAME_BENCH_SUMMARY;
  if (summary) {
    const { appendFileSync } = await import('node:fs');
    appendFileSync(summary, `${JSON.stringify({ title: 'lazy imap', line, met })}\n`);
  }
}
