// selfsame/pool against piscina, measured in the same run on the same machine:
// - one apply() round trip against one piscina run() round trip, at the median, with piscina's
//   default `atomics: 'sync'` (idle workers blocked in Atomics.wait) and with the
//   `atomics: 'async'` the pool uses so that idle workers' event loops turn: the cost of that
//   choice, per task; and piscina handed the very message apply() sends (task id, reference text,
//   argument list, form) to a worker that only doubles its argument: what that message costs
//   alone, so that the rest of apply()'s gap is selfsame's own code on either side;
// - a CPU-bound map on 2 threads against 1;
// - how long a 2-thread pool takes to stop after one task per thread: close() and terminate()
//   against piscina's close() and destroy() (each iteration starts a pool, runs, stops it).
// (Maps of many small items: pool-map.bench.js; start-up: pool-startup.bench.js.)
import { Piscina } from 'piscina';
import { toReference } from 'selfsame';
import { Pool } from 'selfsame/pool';
import { burn, double } from './fixtures/pool-tasks.js';
import { compareAsync, compareLatency } from './measure.js';

const piscina = new Piscina({
  filename: new URL('./fixtures/piscina-double.cjs', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
});
const piscinaAsync = new Piscina({
  filename: new URL('./fixtures/piscina-double.cjs', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
  atomics: 'async',
});
const piscinaMessage = new Piscina({
  filename: new URL('./fixtures/piscina-message.cjs', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
  atomics: 'async',
});
const pool = new Pool({ size: 2 });
// The message apply() sends for `double`, as src/pool/runner.ts builds it (ONE_CALL = 2).
const wire = JSON.stringify(await toReference(double, { root: process.cwd() }));
const single = new Pool({ size: 1 });

try {
  let next = 0;
  await compareLatency(
    'One round trip, awaited one after another',
    {
      'piscina run()': () => piscina.run(next++),
      "piscina run() with atomics: 'async'": () => piscinaAsync.run(next++),
      "the same, handed apply()'s message": () => piscinaMessage.run([next, wire, [next++], 2]),
      'Pool.apply()': () => pool.apply(double, [next++]),
    },
    {
      samples: 3000,
      warmup: 500,
      goals: [
        {
          task: 'Pool.apply()',
          vs: 'piscina run()',
          max: 1.1,
          label: 'Pool.apply() p50 / piscina run() round trip p50',
        },
        {
          task: 'Pool.apply()',
          vs: "piscina run() with atomics: 'async'",
          max: 1.1,
          label: "Pool.apply() p50 / piscina run() p50, both with atomics: 'async'",
        },
        {
          task: 'Pool.apply()',
          vs: "the same, handed apply()'s message",
          label: "Pool.apply() p50 / piscina run() p50 carrying apply()'s message",
        },
        {
          task: "piscina run() with atomics: 'async'",
          vs: 'piscina run()',
          label: "Idle workers whose event loop turns: piscina atomics 'async' / 'sync' p50",
        },
      ],
    },
  );

  const work = Array.from({ length: 16 }, () => 400_000);
  await compareAsync(
    'CPU-bound map, 16 items of a few ms each, per item',
    {
      'Pool.map on 1 thread': (n) => single.map(burn, work.slice(0, n), { chunksize: 1 }),
      'Pool.map on 2 threads': (n) => pool.map(burn, work.slice(0, n), { chunksize: 1 }),
    },
    {
      rounds: 7,
      iterations: 16,
      goals: [
        {
          task: 'Pool.map on 2 threads',
          vs: 'Pool.map on 1 thread',
          min: 1.9,
          label: 'CPU-bound map, 2 threads: speed-up over 1 thread',
        },
      ],
    },
  );

  const piscinaFile = new URL('./fixtures/piscina-double.cjs', import.meta.url).href;
  const started = async (stop) => {
    const fresh = new Pool({ size: 2 });
    await fresh.map(double, [1, 2], { chunksize: 1 });
    await stop(fresh);
  };
  const startedPiscina = async (stop) => {
    const fresh = new Piscina({ filename: piscinaFile, minThreads: 2, maxThreads: 2 });
    await Promise.all([fresh.run(1), fresh.run(2)]);
    await stop(fresh);
  };
  const repeat = (start, stop) => async (n) => {
    for (let index = 0; index < n; index++) await start(stop);
  };
  await compareAsync(
    'Start a 2-thread pool, run one task per thread, stop it (per pool)',
    {
      'piscina close()': repeat(startedPiscina, (fresh) => fresh.close()),
      'piscina destroy()': repeat(startedPiscina, (fresh) => fresh.destroy()),
      'Pool close()': repeat(started, (fresh) => fresh.close()),
      'Pool terminate()': repeat(started, (fresh) => fresh.terminate()),
    },
    {
      rounds: 5,
      iterations: 5,
      goals: [
        { task: 'Pool close()', vs: 'piscina close()' },
        { task: 'Pool terminate()', vs: 'piscina destroy()' },
      ],
    },
  );
} finally {
  await Promise.all([
    pool.close(),
    single.close(),
    piscina.close(),
    piscinaAsync.close(),
    piscinaMessage.close(),
  ]);
}
