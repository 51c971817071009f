// selfsame/queue against the same engine with a hand-written name-to-function map, in the same
// run, on throwaway PostgreSQL and Redis servers on loopback. Each operation is one job, end
// to end: enqueue, then the worker (in this process) resolves and runs it and stores its
// result. selfsame's side also proves the function, signs the job, verifies the signature and
// resolves the reference (cached after the first job); the map's side looks a name up.

import { Queue, Worker } from 'bullmq';
import PgBoss from 'pg-boss';
import { bullmqQueue, bullmqWorker, pgBossQueue, pgBossWorker } from 'selfsame/queue';
import { checkSecurity } from '../dist/queue/options.js';
import { makePayload } from '../dist/queue/payload.js';
import { runJob } from '../dist/queue/run.js';
import { startPostgres, startRedis } from '../examples/queue/servers.js';
import { countWords } from './fixtures/queue-tasks.js';
import { compareAsync } from './measure.js';

const KEY = 'bench-key-0123456789abcdef';
const goal = {
  task: 'selfsame references (signed)',
  vs: 'hand-written name-to-function map',
  max: 1.1,
  label: 'cost per job, references / hand-written map',
};
const handlers = { countWords };
const text = 'the quick brown fox jumps over the lazy dog';
const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
const closers = [];

try {
  await benchOwnWork();
  await benchPgBoss();
  await benchBullMQ();
} finally {
  for (const close of closers.reverse()) await close();
  await Promise.all([pg.stop(), redis.stop()]);
}

/**
 * What selfsame itself adds to a job, without an engine: the producer's payload (proof from
 * the cache, JSON check, HMAC) and the worker's step (HMAC check, cached resolution, the call
 * in its context, the stored outcome), against a hand-written map's JSON and lookup.
 */
async function benchOwnWork() {
  const security = checkSecurity('bench', { key: KEY }, 'worker');
  const never = new AbortController().signal;
  const job = (data) => ({
    id: '1',
    queue: 'bench',
    attempt: 1,
    signal: never,
    progress: async () => {},
    data,
  });
  await compareAsync(
    'Per job, without an engine: producer and worker steps in one process',
    {
      'hand-written map (JSON, lookup, call)': async (n) => {
        for (let index = 0; index < n; index++) {
          const data = JSON.parse(JSON.stringify({ name: 'countWords', args: [text] }));
          JSON.stringify({ value: handlers[data.name](...data.args) });
        }
      },
      'selfsame (payload, MAC, resolve, call)': async (n) => {
        for (let index = 0; index < n; index++) {
          const payload = await makePayload(countWords, [text], security);
          await runJob(job(JSON.parse(JSON.stringify(payload))), security);
        }
      },
    },
    { rounds: 9, iterations: 5000 },
  );
}

async function benchPgBoss() {
  const boss = new PgBoss({ connectionString: pg.url, supervise: false, schedule: false, max: 20 });
  await boss.start();
  closers.push(() => boss.stop({ graceful: false, timeout: 1000 }));
  await boss.createQueue('bench-map');
  await boss.createQueue('bench-selfsame');
  const work = { batchSize: 300, pollingIntervalSeconds: 0.5 };
  // Both workers take a whole round in one fetch (woken by notifyWorker, not polling), so the
  // figure is the per-job cost, not the polling interval. The hand-written worker stores each job's result itself, as selfsame does: pg-boss stores
  // a handler's return value only for a batch of one.
  const mapWorker = await boss.work('bench-map', work, async (jobs) => {
    await Promise.all(
      jobs.map(async (job) => {
        const value = handlers[job.data.name](...job.data.args);
        await boss.complete('bench-map', job.id, { value });
      }),
    );
  });
  const worker = await pgBossWorker(boss, 'bench-selfsame', { key: KEY, work });
  closers.push(() => worker.close());
  const producer = pgBossQueue(boss, 'bench-selfsame', { key: KEY });
  const drained = async (name) => {
    while ((await boss.getQueueSize(name)) > 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const rows = await compareAsync(
    'pg-boss 10 (PostgreSQL 15), one job end to end, 300 jobs per round',
    {
      'hand-written name-to-function map': async (n) => {
        await Promise.all(
          Array.from({ length: n }, () =>
            boss.send('bench-map', { name: 'countWords', args: [text] }),
          ),
        );
        boss.notifyWorker(mapWorker);
        await drained('bench-map');
      },
      'selfsame references (signed)': async (n) => {
        await Promise.all(Array.from({ length: n }, () => producer.enqueue(countWords, [text])));
        boss.notifyWorker(worker.engine);
        await drained('bench-selfsame');
      },
    },
    { rounds: 11, iterations: 300, goals: [goal] },
  );
  summarize(rows);
}

async function benchBullMQ() {
  const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
  const options = { concurrency: 20, removeOnComplete: { count: 100 } };
  const mapQueue = new Queue('bench-map', { connection });
  let mapDone = 0;
  const mapWorker = new Worker(
    'bench-map',
    async (job) => handlers[job.data.name](...job.data.args),
    {
      connection,
      ...options,
    },
  );
  mapWorker.on('completed', () => mapDone++);
  closers.push(() => Promise.all([mapWorker.close(), mapQueue.close()]));
  const worker = await bullmqWorker('bench-selfsame', { connection, key: KEY, worker: options });
  let selfsameDone = 0;
  worker.engine.on('completed', () => selfsameDone++);
  const producer = bullmqQueue('bench-selfsame', { connection, key: KEY });
  closers.push(() => Promise.all([worker.close(), producer.close()]));
  const until = async (done) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
  };
  const rows = await compareAsync(
    'BullMQ 6 (Redis 7), one job end to end, 1000 jobs per round',
    {
      'hand-written name-to-function map': async (n) => {
        const target = mapDone + n;
        await Promise.all(
          Array.from({ length: n }, () =>
            mapQueue.add('countWords', { name: 'countWords', args: [text] }),
          ),
        );
        await until(() => mapDone >= target);
      },
      'selfsame references (signed)': async (n) => {
        const target = selfsameDone + n;
        await Promise.all(Array.from({ length: n }, () => producer.enqueue(countWords, [text])));
        await until(() => selfsameDone >= target);
      },
    },
    { rounds: 11, iterations: 1000, goals: [goal] },
  );
  summarize(rows);
}

function summarize([map, selfsame]) {
  const perSecond = (row) => Math.round(1e9 / row.ns);
  console.log(`  => ${perSecond(selfsame)} jobs/s with references, ${perSecond(map)} with a map`);
}
