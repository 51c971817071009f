/**
 * The pg-boss real-server suite, run once per supported major (pg-boss.test.ts on 10,
 * pg-boss-12.test.ts on 12): the shared scenarios, then retries, dead letters and expiry.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startPostgres } from '../../examples/queue/servers.js';
import { JobExpiredError, type PgBossLike, pgBossQueue } from '../../src/queue/index.js';
import { cleanUp, lines, loadTasks, startWorker, tempDir, waitFor } from './harness.js';
import { describeEngine, KEY, type QueueSpec } from './scenarios.js';

/** What the suite needs of a started `PgBoss` beyond what selfsame uses; every major has it. */
export interface TestBoss extends PgBossLike {
  start(): Promise<unknown>;
  stop(options?: { graceful?: boolean; timeout?: number }): Promise<void>;
  createQueue(
    name: string,
    options?: {
      retryLimit?: number;
      retryDelay?: number;
      expireInSeconds?: number;
      deadLetter?: string;
    },
  ): Promise<void>;
  fetch(name: string): Promise<readonly { data: unknown }[]>;
  getJobById(
    name: string,
    id: string,
  ): Promise<{ state: string; output?: unknown; retryCount: number } | null>;
}

/** One pg-boss major under test. */
export interface PgBossFlavour<Boss extends TestBoss> {
  /** `pg-boss 10` */
  readonly label: string;
  /** The package the worker processes import (an npm alias for majors beside the default). */
  readonly module: string;
  /** A new, unstarted producer-side `PgBoss` on this server. */
  make(url: string, options: { supervise: false; schedule: false }): Boss;
  /** Runs pg-boss's expiry once, so a dead worker's job is taken back. */
  reclaim(boss: Boss): Promise<void>;
}

export function describePgBoss<Boss extends TestBoss>(flavour: PgBossFlavour<Boss>): void {
  let server: Awaited<ReturnType<typeof startPostgres>>;
  let boss: Boss;
  let counter = 0;
  const bossOptions = { supervise: false, schedule: false } as const;
  const workerConfig = (queue: string, options: object) => ({
    engine: 'pg-boss',
    module: flavour.module,
    url: server.url,
    queue,
    boss: bossOptions,
    options: { ...options, work: { pollingIntervalSeconds: 0.5 } },
  });

  describeEngine({
    name: flavour.label,
    async setUp() {
      server = await startPostgres();
      boss = flavour.make(server.url, bossOptions);
      await boss.start();
    },
    async tearDown() {
      await boss?.stop({ graceful: false, timeout: 1000 });
      await server?.stop();
    },
    async newQueue(spec: QueueSpec) {
      const name = `pg-${++counter}-${process.pid}`;
      await boss.createQueue(name, {
        retryLimit: spec.retries,
        retryDelay: 0,
        expireInSeconds: spec.holdSeconds,
      });
      return name;
    },
    producer: (queue, options) => pgBossQueue(boss, queue, options),
    workerConfig: (queue, _spec, options) => workerConfig(queue, options),
    async sendRaw(queue, data) {
      return (await boss.send(queue, data, {})) as string;
    },
    async reclaim() {
      await flavour.reclaim(boss);
    },
    async closeProducers() {},
    more() {
      it('retries a failing job retryLimit times, then fails it and moves it to its dead-letter queue', async () => {
        const tasks = await loadTasks();
        const name = `pg-dl-${process.pid}`;
        await boss.createQueue(`${name}-dead`);
        await boss.createQueue(name, {
          retryLimit: 2,
          retryDelay: 0,
          deadLetter: `${name}-dead`,
        });
        const file = join(tempDir(), 'runs.txt');
        try {
          await startWorker(workerConfig(name, { key: KEY }));
          const producer = pgBossQueue(boss, name, { key: KEY });
          const handle = await producer.enqueue(tasks.alwaysFail, [file]);
          await expect(handle.result({ timeout: 60_000 })).rejects.toThrow(
            new Error('always fails'),
          );
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
        await boss.createQueue(name, { retryLimit: 0, expireInSeconds: 1 });
        const file = join(tempDir(), 'runs.txt');
        try {
          await startWorker(workerConfig(name, { key: KEY }));
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
}
