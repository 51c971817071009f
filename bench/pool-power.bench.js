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

