import { join } from 'node:path';
import PgBoss from 'pg-boss';
import { expect, it } from 'vitest';
import { startPostgres } from '../../examples/queue/servers.js';
import { JobExpiredError, pgBossQueue } from '../../src/queue/index.js';
import { cleanUp, lines, loadTasks, startWorker, tempDir, waitFor } from './harness.js';
import { describeEngine, KEY, type QueueSpec } from './scenarios.js';

let server: Awaited<ReturnType<typeof startPostgres>>;
let boss: PgBoss;
let counter = 0;

describeEngine({
  name: 'pg-boss',
  async setUp() {
    server = await startPostgres();
    boss = new PgBoss({ connectionString: server.url, supervise: false, schedule: false });
    boss.on('error', (error) => console.error('pg-boss (producer):', error.message));
    await boss.start();
  },
  async tearDown() {
    await boss?.stop({ graceful: false, timeout: 1000 });
    await server?.stop();
  },
  async newQueue(spec: QueueSpec) {
    const name = `pg-${++counter}-${process.pid}`;
    await boss.createQueue(name, {
      name,
      retryLimit: spec.retries,
      retryDelay: 0,
      expireInSeconds: spec.holdSeconds,
    });
    return name;
  },
  producer: (queue, options) => pgBossQueue(boss, queue, options),
  workerConfig: (queue, _spec, options) => ({
    engine: 'pg-boss',
    url: server.url,
    queue,
    boss: { supervise: false, schedule: false },
    options: { ...options, work: { pollingIntervalSeconds: 0.5 } },
  }),
  async sendRaw(queue, data) {
    return (await boss.send(queue, data)) as string;
  },
  async reclaim() {
    await boss.expire();
  },
  async closeProducers() {},
  more() {
    it('retries a failing job retryLimit times, then fails it and moves it to its dead-letter queue', async () => {
      const tasks = await loadTasks();
      const name = `pg-dl-${process.pid}`;
      await boss.createQueue(`${name}-dead`);
      await boss.createQueue(name, {
        name,
        retryLimit: 2,
        retryDelay: 0,
        deadLetter: `${name}-dead`,
      });
      const file = join(tempDir(), 'runs.txt');
      try {
        await startWorker({
          engine: 'pg-boss',
          url: server.url,
          queue: name,
          boss: { supervise: false, schedule: false },
          options: { key: KEY, work: { pollingIntervalSeconds: 0.5 } },
        });
        const producer = pgBossQueue(boss, name, { key: KEY });
        const handle = await producer.enqueue(tasks.alwaysFail, [file]);
        await expect(handle.result({ timeout: 60_000 })).rejects.toThrow(new Error('always fails'));
        expect(lines(file)).toEqual(['fail 1', 'fail 2', 'fail 3']);
        const job = await boss.getJobById(name, handle.id);
        expect(job?.state).toBe('failed');
        expect(job?.retryCount).toBe(2);
        const [dead] = await boss.fetch(`${name}-dead`);
        expect((dead?.data as { ref?: { qualname?: string } } | undefined)?.ref?.qualname).toBe(
          'alwaysFail',
        );
      } finally {
        await cleanUp();
      }
    }, 90_000);

    it("fails a job that outlives expireInSeconds, aborting the task's signal", async () => {
      const tasks = await loadTasks();
      const name = `pg-expiry-${process.pid}`;
      await boss.createQueue(name, { name, retryLimit: 0, expireInSeconds: 1 });
      const file = join(tempDir(), 'runs.txt');
      try {
        await startWorker({
          engine: 'pg-boss',
          url: server.url,
          queue: name,
          boss: { supervise: false, schedule: false },
          options: { key: KEY, work: { pollingIntervalSeconds: 0.5 } },
        });
        const producer = pgBossQueue(boss, name, { key: KEY });
        const handle = await producer.enqueue(tasks.untilAborted, [file]);
        const error = await handle.result({ timeout: 60_000 }).catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(JobExpiredError);
        expect((error as JobExpiredError).code).toBe('ERR_SELFSAME_JOB_EXPIRED');
        const message = `Job ${handle.id} on \`${name}\` ran out of its 1 s (expireInSeconds): its signal was aborted and the job failed; pg-boss retries it while retries are left`;
        expect((error as Error).message).toBe(message);
        expect((await boss.getJobById(name, handle.id))?.state).toBe('failed');
        await waitFor(
          () => lines(file).length === 2,
          30_000,
          () => `no abort: ${lines(file)}`,
        );
        expect(lines(file)).toEqual(['waiting', `aborted: ${message}`]);
      } finally {
        await cleanUp();
      }
    }, 90_000);
  },
});
