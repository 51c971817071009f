// selfsame/pool against piscina, measured in the same run on the same machine:
// - Pool.map over 100,000 trivial items (batched automatically) vs piscina's run() per item;
// - one apply() round trip vs one piscina run() round trip, with piscina's default
//   `atomics: 'sync'` (idle workers blocked in Atomics.wait) and with the `atomics: 'async'` the
//   pool uses so that idle workers' event loops turn: the cost of that choice, per task;
// - a CPU-bound map on 2 threads vs 1;
// - how long a 2-thread pool takes to stop after one task each: close() and terminate() vs
//   piscina's close() and destroy() (each iteration starts a pool, runs a task, stops it).
import { Piscina } from 'piscina';
import { Pool } from 'selfsame/pool';
import { burn, double } from './fixtures/pool-tasks.js';
import { compareAsync } from './measure.js';

const piscina = new Piscina({
  filename: new URL('./fixtures/piscina-double.js', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
});
const piscinaAsync = new Piscina({
  filename: new URL('./fixtures/piscina-double.js', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
  atomics: 'async',
});
const pool = new Pool({ size: 2 });
const single = new Pool({ size: 1 });

try {
  const items = Array.from({ length: 100_000 }, (_, index) => index);
  const throughput = await compareAsync(
    'Trivial items through 2 threads, per item (100,000 items per round)',
    {
      'piscina run() per item': (n) => Promise.all(items.slice(0, n).map((x) => piscina.run(x))),
      'Pool.map (automatic chunksize)': (n) => pool.map(double, items.slice(0, n)),
    },
    { rounds: 3, iterations: 100_000, goal: { 'Pool.map (automatic chunksize)': '<= 0.05x' } },
  );
  console.log(
    `  => Pool.map is ${(throughput[0].ns / throughput[1].ns).toFixed(1)}x piscina (goal >= 20x)`,
  );

  const latency = await compareAsync(
    'One round trip, awaited one after another',
    {
      "piscina run() (atomics: 'sync', its default)": async (n) => {
        for (let index = 0; index < n; index++) await piscina.run(index);
      },
      "piscina run() (atomics: 'async', as the pool)": async (n) => {
        for (let index = 0; index < n; index++) await piscinaAsync.run(index);
      },
      'Pool.apply()': async (n) => {
        for (let index = 0; index < n; index++) await pool.apply(double, [index]);
      },
    },
    { rounds: 9, iterations: 2000, goal: { 'Pool.apply()': '<= 1.2x' } },
  );
  console.log(
    `  => idle workers that keep their event loop turning cost ${latency[1].ratio.toFixed(2)}x piscina's default round trip`,
  );
  console.log(
    `  => apply costs ${latency[2].ratio.toFixed(2)}x piscina's default round trip (goal <= 1.2x), ${(latency[2].ns / latency[1].ns).toFixed(2)}x the same atomics mode`,
  );

  const work = Array.from({ length: 16 }, () => 400_000);
  const scaling = await compareAsync(
    'CPU-bound map, 16 items of a few ms each, per item',
    {
      'Pool.map on 1 thread': (n) => single.map(burn, work.slice(0, n), { chunksize: 1 }),
      'Pool.map on 2 threads': (n) => pool.map(burn, work.slice(0, n), { chunksize: 1 }),
    },
    { rounds: 7, iterations: 16, goal: { 'Pool.map on 2 threads': '<= 0.55x' } },
  );
  console.log(
    `  => 2 threads are ${(scaling[0].ns / scaling[1].ns).toFixed(2)}x as fast as 1 (goal >= 1.8x)`,
  );

  const started = async (run) => {
    const fresh = new Pool({ size: 2 });
    await fresh.map(double, [1, 2], { chunksize: 1 });
    await run(fresh);
  };
  const startedPiscina = async (run) => {
    const fresh = new Piscina({
      filename: new URL('./fixtures/piscina-double.js', import.meta.url).href,
      minThreads: 2,
      maxThreads: 2,
    });
    await Promise.all([fresh.run(1), fresh.run(2)]);
    await run(fresh);
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
    { rounds: 5, iterations: 5 },
  );
} finally {
  await Promise.all([pool.close(), single.close(), piscina.close(), piscinaAsync.close()]);
}
