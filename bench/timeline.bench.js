// The cost of collecting timeline records from pool workers (`new Pool({ onRecord })`), per
// call, against the same timed calls on a pool that collects nothing, in the same run:
// - trivial timed calls (the worst case: the record costs more than the call);
// - timed calls of about 25 microseconds each (a small real task).
// Each call made in a worker yields one record, and each task its spans; the main thread puts
// every record into a Timeline (which checks it), as a user would.
import { Pool } from 'selfsame/pool';
import { Timeline } from 'selfsame/timeline';
import { timedBurn, timedDouble } from './fixtures/timeline-tasks.js';
import { compareAsync } from './measure.js';

let timeline = new Timeline();
const plain = new Pool({ size: 2 });
const collecting = new Pool({ size: 2, onRecord: (record) => timeline.record(record) });

/** Times `fn` over `inputs` on both pools, interleaved; returns the collected/plain ratio. */
async function compareCollecting(title, fn, inputs) {
  const rows = await compareAsync(
    title,
    {
      'tracked, not collected': (n) => plain.map(fn, inputs.slice(0, n)),
      'tracked and collected (onRecord into a Timeline)': async (n) => {
        timeline = new Timeline();
        return collecting.map(fn, inputs.slice(0, n));
      },
    },
    {
      rounds: 7,
      iterations: inputs.length,
      goal: { 'tracked and collected (onRecord into a Timeline)': '<= 1.2x' },
    },
  );
  return rows[1].ratio.toFixed(2);
}

try {
  const trivial = await compareCollecting(
    'Trivial timed calls through 2 threads, per call (Pool.map, automatic chunksize)',
    timedDouble,
    Array.from({ length: 50_000 }, (_, index) => index),
  );
  console.log(`  => collecting costs ${trivial}x per trivial call`);
  const small = await compareCollecting(
    'Timed calls of ~25 us through 2 threads, per call (Pool.map, automatic chunksize)',
    timedBurn,
    Array.from({ length: 4000 }, () => 1000),
  );
  console.log(`  => collecting costs ${small}x per 25 us call`);
} finally {
  await Promise.all([plain.close(), collecting.close()]);
}
