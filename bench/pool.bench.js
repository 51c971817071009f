// selfsame/pool against piscina, measured in the same run on the same machine:
// - one apply() round trip against one piscina run() round trip, at the median;
// - a CPU-bound map on 2 threads against 1.
// (Maps of many small items: pool-map.bench.js; start-up: pool-startup.bench.js.)
import { Piscina } from 'piscina';
import { Pool } from 'selfsame/pool';
import { burn, double } from './fixtures/pool-tasks.js';
import { compareAsync, compareLatency } from './measure.js';

const piscina = new Piscina({
  filename: new URL('./fixtures/piscina-double.cjs', import.meta.url).href,
  minThreads: 2,
  maxThreads: 2,
});
const pool = new Pool({ size: 2 });
const single = new Pool({ size: 1 });

try {
  let next = 0;
  await compareLatency(
    'One round trip, awaited one after another',
    {
      'piscina run()': () => piscina.run(next++),
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
} finally {
  await Promise.all([pool.close(), single.close(), piscina.close()]);
}
