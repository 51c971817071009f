import { join } from 'node:path';
import { Queue } from 'bullmq';
import { expect, it } from 'vitest';
import { startRedis } from '../../examples/queue/servers.js';
import { SignatureError } from '../../src/errors.js';
import { type BullMQProducer, bullmqQueue } from '../../src/queue/index.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { lines, loadTasks, tempDir, waitFor } from './harness.js';
import { describeEngine, KEY, type QueueSpec } from './scenarios.js';

let server: Awaited<ReturnType<typeof startRedis>>;
let counter = 0;
const specs = new Map<string, QueueSpec>();
const producers: BullMQProducer[] = [];
const raw: Queue[] = [];
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });

function producer(queue: string, options: object): BullMQProducer {
  const spec = specs.get(queue);
  const made = bullmqQueue(queue, {
    connection: connection(),
    queue: { defaultJobOptions: { attempts: (spec?.retries ?? 0) + 1, removeOnComplete: false } },
    ...options,
  });
  producers.push(made);
  return made;
}

/** The built package's queue entry, loaded natively: the one the task fixtures' `currentJob` is. */
async function builtQueue(): Promise<typeof import('../../src/queue/index.js')> {
  const href = new URL('../../dist/queue/index.js', import.meta.url).href;
  return (await loadNamespace(href, 'dist/queue/index.js')).namespace as never;
}

function rawQueue(name: string): Queue {
  const queue = new Queue(name, { connection: connection() });
  raw.push(queue);
  return queue;
}

describeEngine({
  name: 'BullMQ',
  async setUp() {
    server = await startRedis();
  },
  async tearDown() {
    await server?.stop();
  },
  async newQueue(spec) {
    const name = `bull-${++counter}-${process.pid}`;
    specs.set(name, spec);
    return name;
  },
  producer,
  workerConfig: (queue, spec, options) => ({
    engine: 'bullmq',
    port: server.port,
    queue,
    options: {
      ...options,
      worker: {
        concurrency: 2,
        lockDuration: spec.holdSeconds * 1000,
        stalledInterval: spec.holdSeconds * 500,
        maxStalledCount: 1,
      },
    },
  }),
  async sendRaw(queue, data) {
    const job = await rawQueue(queue).add('raw', data, { attempts: 3 });
    return String(job.id);
  },
  async reclaim() {},
  async closeProducers() {
    await Promise.all([...producers.splice(0), ...raw.splice(0)].map((made) => made.close()));
  },
  more() {
    it('gets the result of a job that finishes while the producer starts listening, every time', async () => {
      const tasks = await loadTasks();
      const { bullmqWorker } = await builtQueue();
      const queue = `bull-race-${process.pid}`;
      const worker = await bullmqWorker(queue, {
        connection: connection(),
        key: KEY,
        worker: { concurrency: 4 },
      });
      try {
        // A fresh producer each round: its QueueEvents opens on the first result(), as the
        // job is being run, which is when BullMQ's own wait can miss the finish event.
        for (let round = 0; round < 25; round++) {
          const fresh = producer(queue, { key: KEY });
          const handle = await fresh.enqueue(tasks.countWords, [`${round} words here`]);
          expect(await handle.result({ timeout: 20_000 })).toBe(3);
          await fresh.close();
        }
      } finally {
        await worker.close();
      }
    }, 120_000);

    it('fails a refused job at once, without retries', async () => {
      const { bullmqWorker } = await builtQueue();
      const queue = `bull-refused-${process.pid}`;
      const worker = await bullmqWorker(queue, { connection: connection(), key: KEY });
      try {
        const id = await (async () => {
          const job = await rawQueue(queue).add(
            'raw',
            { selfsame: 1, ref: {}, args: '[]' },
            { attempts: 3 },
          );
          return String(job.id);
        })();
        const error = await producer(queue, { key: KEY })
          .handle(id)
          .result({ timeout: 30_000 })
          .catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(SignatureError);
        const job = await rawQueue(queue).getJob(id);
        expect(job?.attemptsMade).toBe(1);
        expect(job?.failedReason).toBe((error as Error).message);
      } finally {
        await worker.close();
      }
    }, 60_000);

    it('lets a task report progress through job.updateProgress', async () => {
      const tasks = await loadTasks();
      const { bullmqWorker } = await builtQueue();
      const queue = `bull-progress-${process.pid}`;
      const worker = await bullmqWorker(queue, { connection: connection(), key: KEY });
      const seen: unknown[] = [];
      worker.engine.on('progress', (_job, progress) => seen.push(progress));
      try {
        const handle = await producer(queue, { key: KEY }).enqueue(tasks.withProgress, []);
        expect(await handle.result({ timeout: 30_000 })).toBe(1);
        expect(seen).toEqual([50, 100]);
        expect((await rawQueue(queue).getJob(handle.id))?.progress).toBe(100);
      } finally {
        await worker.close();
      }
    }, 60_000);

    it("cancels a running task through the processor's AbortSignal", async () => {
      const tasks = await loadTasks();
      const { bullmqWorker } = await builtQueue();
      const queue = `bull-cancel-${process.pid}`;
      const file = join(tempDir(), 'runs.txt');
      const worker = await bullmqWorker(queue, { connection: connection(), key: KEY });
      try {
        const handle = await producer(queue, { key: KEY }).enqueue(tasks.untilAborted, [file]);
        await waitFor(
          () => lines(file).includes('waiting'),
          30_000,
          () => 'the task never started',
        );
        expect(worker.engine.cancelJob(handle.id, 'no longer needed')).toBe(true);
        const outcome = await handle.result({ timeout: 30_000 }).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        expect(outcome).toEqual({ value: 'aborted: no longer needed' });
      } finally {
        await worker.close();
      }
    }, 60_000);
  },
});
