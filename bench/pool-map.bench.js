// Pool.map over trivial items against the peers a user could pick instead, all in one run, in
// interleaved rounds, at 10,000, 100,000 and 1,000,000 items:
// - a raw `worker_threads` floor written here: two workers, the items in flat batches, every
//   batch posted at once (nothing could dispatch sooner), answers written into one result array;
// - piscina handed the very batches Pool.map makes (one `run()` per batch);
// - Python's `multiprocessing.Pool(2).map` on the same items, timed in its own process (skipped
//   with a line saying so where python3 is missing).
// Then the seed article's workload (count "lorem" in short clauses) at 100,000 and 1,000,000
// clauses against the same loop on the main thread.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Pool } from 'selfsame/pool';
import { autoChunksize } from '../dist/pool/job.js';
import { countLorem, double } from './fixtures/pool-tasks.js';
import { compareAsync, skip } from './measure.js';

const THREADS = 2;
const piscina = new Piscina({
  filename: new URL('./fixtures/piscina-batch.cjs', import.meta.url).href,
  minThreads: THREADS,
  maxThreads: THREADS,
});
const pool = new Pool({ size: THREADS });
const raw = startRawWorkers(THREADS);
const python = await startPython();

try {
  for (const count of [10_000, 100_000, 1_000_000]) {
    const items = Array.from({ length: count }, (_, index) => index);
    const tasks = {
      'raw worker_threads, flat batches, all posted at once': async () => {
        const out = await raw.map(items, batchesOf(items.length));
        check(out, items);
      },
      'piscina run() per batch, the same batches': async () => {
        const answers = await Promise.all(
          batchesOf(items.length).map(([from, to]) => piscina.run(items.slice(from, to))),
        );
        check(answers.flat(), items);
      },
    };
    if (python !== undefined) {
      tasks['Python multiprocessing.Pool(2).map'] = async () => ({
        ns: (await python.map(count)) / count,
      });
    }
    tasks['Pool.map'] = async () => check(await pool.map(double, items), items);
    const goals = [
      {
        task: 'Pool.map',
        vs: 'raw worker_threads, flat batches, all posted at once',
        max: 1.2,
        label: `Pool.map / raw worker_threads floor, ${count} items`,
      },
      {
        task: 'Pool.map',
        vs: 'piscina run() per batch, the same batches',
        max: 1.1,
        label: `Pool.map / piscina given the same batches, ${count} items`,
      },
    ];
    if (python !== undefined) {
      goals.push({
        task: 'Pool.map',
        vs: 'Python multiprocessing.Pool(2).map',
        label: `Pool.map / Python multiprocessing.Pool(2).map, ${count} items`,
      });
    }
    await compareAsync(
      `Trivial items (x * 2) through ${THREADS} threads, per item, ${count} items`,
      perItem(tasks, count),
      { rounds: count >= 1_000_000 ? 5 : 9, iterations: 1, warmup: 1, goals },
    );
  }
  if (python === undefined) {
    skip('Pool.map / Python multiprocessing.Pool(2).map', 'python3 is not on this machine');
  }

  for (const count of [100_000, 1_000_000]) {
    const clauses = loremClauses(count);
    const expected = clauses.map(countLorem);
    // CPU time of the whole process (every thread) per clause: what the pool spends in all, so
    // that a machine without two free cores can still tell where the time goes.
    const cpu = { 'the main-thread loop': [], [`Pool.map on ${THREADS} threads`]: [] };
    const cpuOf = (name, run) => async () => {
      const before = process.cpuUsage();
      await run();
      const used = process.cpuUsage(before);
      cpu[name].push(((used.user + used.system) * 1000) / count);
    };
    await compareAsync(
      `The seed workload: count "lorem" in ${count} short clauses, per clause`,
      perItem(
        {
          'the main-thread loop': cpuOf('the main-thread loop', async () =>
            checkCounts(clauses.map(countLorem), expected),
          ),
          [`Pool.map on ${THREADS} threads`]: cpuOf(`Pool.map on ${THREADS} threads`, async () =>
            checkCounts(await pool.map(countLorem, clauses), expected),
          ),
        },
        count,
      ),
      {
        rounds: count >= 1_000_000 ? 5 : 9,
        iterations: 1,
        warmup: 1,
        goals: [
          {
            task: `Pool.map on ${THREADS} threads`,
            vs: 'the main-thread loop',
            min: 1.0,
            label: `seed workload, ${count} clauses: Pool.map on ${THREADS} threads, speed-up over the main-thread loop`,
          },
        ],
      },
    );
    for (const [name, samples] of Object.entries(cpu)) {
      const sorted = samples.sort((a, b) => a - b);
      const ns = sorted[Math.floor(sorted.length / 2)];
      console.log(`  CPU time, all threads, per clause: ${name}: ${ns.toFixed(0)} ns`);
    }
    console.log(
      `  load average now: ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
    );
  }
} finally {
  await Promise.all([pool.close(), piscina.close(), raw.close(), python?.close()]);
}

/** Reports each task's time per item (each task runs one whole map of `count` items). */
function perItem(tasks, count) {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, run]) => [
      name,
      async () => {
        const start = process.hrtime.bigint();
        const own = await run();
        return own ?? { ns: Number(process.hrtime.bigint() - start) / count };
      },
    ]),
  );
}

/** The batches Pool.map makes of `length` items with its automatic chunk size. */
function batchesOf(length) {
  const size = autoChunksize(length, THREADS);
  const batches = [];
  for (let from = 0; from < length; from += size)
    batches.push([from, Math.min(length, from + size)]);
  return batches;
}

function check(out, items) {
  if (out.length !== items.length || out[items.length - 1] !== items[items.length - 1] * 2) {
    throw new Error('wrong result');
  }
}

function checkCounts(out, expected) {
  if (out.length !== expected.length || out.some((value, index) => value !== expected[index])) {
    throw new Error('wrong counts');
  }
}

/** `count` clauses of four to seven lorem-ipsum words, from a fixed pseudo-random sequence. */
function loremClauses(count) {
  const words = 'Lorem ipsum dolor sit amet consectetur lorem adipiscing elit sed do eiusmod'.split(
    ' ',
  );
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state;
  };
  return Array.from({ length: count }, () => {
    const length = 4 + (next() % 4);
    return ` ${Array.from({ length }, () => words[next() % words.length]).join(' ')} `;
  });
}

/** Two plain workers and a map that posts every flat batch at once, round-robin. */
function startRawWorkers(threads) {
  const file = new URL('./fixtures/raw-worker.cjs', import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(file));
  return {
    map(items, batches) {
      return new Promise((resolve, reject) => {
        const out = new Array(items.length);
        let left = batches.length;
        const onMessage = ([index, values]) => {
          const from = batches[index][0];
          for (let item = 0; item < values.length; item++) out[from + item] = values[item];
          left -= 1;
          if (left === 0) {
            for (const worker of workers) worker.off('message', onMessage).off('error', reject);
            resolve(out);
          }
        };
        for (const worker of workers) worker.on('message', onMessage).on('error', reject);
        batches.forEach(([from, to], index) => {
          workers[index % threads].postMessage([index, items.slice(from, to)]);
        });
      });
    },
    close: () => Promise.all(workers.map((worker) => worker.terminate())),
  };
}

/** Python's pool in a child process, one map per request; `undefined` without python3. */
async function startPython() {
  const script = new URL('./fixtures/python-map.py', import.meta.url);
  const child = spawn('python3', [script.pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const failed = new Promise((resolve) => child.once('error', () => resolve(undefined)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ready = lines.next().then(({ value }) => value === 'ready');
  const timeout = new Promise((resolve) => setTimeout(resolve, 30_000, false).unref());
  const started = await Promise.race([ready, failed, timeout]);
  if (started !== true) {
    child.kill();
    return undefined;
  }
  return {
    async map(count) {
      child.stdin.write(`${count}\n`);
      const { value } = await lines.next();
      return Number(value);
    },
    close() {
      child.stdin.end();
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
