/**
 * The scenarios every binding must pass against its real server, written once and run per
 * engine: worker processes sharing a queue, a worker killed mid-job, hostile payloads, a stale
 * digest, results and errors with their class and code, shutdown under load.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IntegrityError,
  NotReferenceableError,
  ReferencePolicyError,
  SignatureError,
} from '../../src/errors.js';
import { JobPayloadError, JobResultError, type Producer } from '../../src/queue/index.js';
import { checkSecurity } from '../../src/queue/options.js';
import { makePayload } from '../../src/queue/payload.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import {
  cleanUp,
  type Fixture,
  lines,
  loadTasks,
  root,
  startWorker,
  tempDir,
  waitFor,
} from './harness.js';

export const KEY = 'test-key-0123456789';
const DIGEST = `sha256:${'0'.repeat(64)}`;

/** How a test asks for a queue: how patient the engine should be with a dead worker. */
export interface QueueSpec {
  /** how many times a failed job is tried again */
  readonly retries: number;
  /** seconds a job may stay in hand before the engine takes it back (killed workers) */
  readonly holdSeconds: number;
}

export interface EngineSpec {
  readonly name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A fresh queue with its own name. */
  newQueue(spec: QueueSpec): Promise<string>;
  producer(queue: string, options: object): Producer<Readonly<Record<string, unknown>>>;
  /** The config of a worker process (see test/fixtures/queue/worker.js). */
  workerConfig(queue: string, spec: QueueSpec, options: object): object;
  /** Writes `data` to the queue as a job, as a hostile writer would, and returns its id. */
  sendRaw(queue: string, data: object): Promise<string>;
  /** Lets the engine notice a dead worker's job (pg-boss: run expiry once). */
  reclaim(): Promise<void>;
  closeProducers(): Promise<void>;
  /** The engine's own tests, run inside the same describe (with the server up). */
  more?(): void;
}

const quick: QueueSpec = { retries: 0, holdSeconds: 30 };

export function describeEngine(engine: EngineSpec): void {
  describe(`${engine.name} against a real server`, () => {
    let tasks: Fixture;
    beforeAll(async () => {
      tasks = await loadTasks();
      await engine.setUp();
    }, 120_000);
    afterEach(async () => {
      await engine.closeProducers();
      await cleanUp();
    });
    afterAll(async () => {
      await engine.tearDown();
    });

    const signed = { key: KEY };

    it('two worker processes share a queue; results come back in input order', async () => {
      const queue = await engine.newQueue(quick);
      const file = join(tempDir(), 'runs.txt');
      const workers = await Promise.all([
        startWorker(engine.workerConfig(queue, quick, signed)),
        startWorker(engine.workerConfig(queue, quick, signed)),
      ]);
      const producer = engine.producer(queue, signed);
      const items = Array.from({ length: 24 }, (_, index) => index);
      const results = await producer
        .map((value: number) => tasks.slowRecord(file, value, 50), items)
        .catch((error: unknown) => error);
      // An arrow is not referenceable: the producer refuses it before sending anything.
      expect(results).toBeInstanceOf(NotReferenceableError);
      const handles = await Promise.all(
        items.map((value) => producer.enqueue(tasks.slowRecord, [file, value, 50])),
      );
      expect(
        await Promise.all(handles.map((handle) => handle.result({ timeout: 60_000 }))),
      ).toEqual(items);
      const done = lines(file).filter((line) => !line.startsWith('start'));
      expect(done.map((line) => Number(line.split(' ')[1])).sort((a, b) => a - b)).toEqual(items);
      const pids = new Set(done.map((line) => Number(line.split(' ')[0])));
      expect(pids).toEqual(new Set(workers.map((worker) => worker.child.pid)));
      expect(await producer.map(tasks.countWords, ['one', 'two words'])).toEqual([1, 2]);
    }, 90_000);

    it('a worker killed with SIGKILL mid-job: the job is retried and its result delivered once', async () => {
      const spec = { retries: 2, holdSeconds: 2 };
      const queue = await engine.newQueue(spec);
      const file = join(tempDir(), 'runs.txt');
      const first = await startWorker(engine.workerConfig(queue, spec, signed));
      const producer = engine.producer(queue, signed);
      const handle = await producer.enqueue(tasks.hangFirstRun, [file, 'once']);
      await waitFor(
        () => lines(file).some((line) => line.startsWith('start')),
        30_000,
        () => `job never started: ${first.output()}`,
      );
      await first.kill();
      await startWorker(engine.workerConfig(queue, spec, signed));
      const result = handle.result({ timeout: 60_000 });
      const reclaiming = (async () => {
        for (
          let round = 0;
          round < 40 && !lines(file).some((line) => line.includes('once'));
          round++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          await engine.reclaim();
        }
      })();
      expect(await result).toBe('once');
      await reclaiming;
      const runs = lines(file);
      expect(runs.filter((line) => line.startsWith('start'))).toHaveLength(1);
      expect(runs.filter((line) => line.includes(' once '))).toHaveLength(1);
    }, 120_000);

    it('refuses a hostile payload before importing anything; the job fails with the envelope', async () => {
      const queue = await engine.newQueue(quick);
      const dir = tempDir();
      const tripwire = join(dir, 'tripwire.txt');
      await startWorker({ ...engine.workerConfig(queue, quick, signed), tripwire });
      const producer = engine.producer(queue, signed);
      const tripRef = {
        v: 1,
        module: './test/fixtures/queue/tripwire.js',
        qualname: 'trip',
        digest: DIGEST,
      };

      const unsigned = await engine.sendRaw(queue, { selfsame: 1, ref: tripRef, args: '[]' });
      const noSignature = await producer
        .handle(unsigned)
        .result({ timeout: 30_000 })
        .catch((error: unknown) => error);
      expect(noSignature).toBeInstanceOf(SignatureError);
      expect((noSignature as SignatureError).code).toBe('ERR_SELFSAME_SIGNATURE');
      expect((noSignature as Error).message).toBe(
        `Refused job ${unsigned} on \`${queue}\`: it carries no signature, and this queue is signed; send it with a producer given the queue's key`,
      );

      const forged = await engine.sendRaw(queue, {
        selfsame: 1,
        ref: tripRef,
        args: '[]',
        mac: `hmac-sha256:${'a'.repeat(64)}`,
      });
      const wrong = await producer
        .handle(forged)
        .result({ timeout: 30_000 })
        .catch((error: unknown) => error);
      expect(wrong).toBeInstanceOf(SignatureError);
      expect((wrong as Error).message).toBe(
        `Refused job ${forged} on \`${queue}\`: its signature does not verify with this worker's key; it was signed with another key, or changed after signing`,
      );

      // A job signed with the right key for another queue does not verify on this one.
      const elsewhere = await makePayload(
        tasks.countWords,
        ['a'],
        checkSecurity(`${queue}-other`, signed, 'producer'),
      );
      const moved = await engine.sendRaw(queue, elsewhere);
      const movedError = await producer
        .handle(moved)
        .result({ timeout: 30_000 })
        .catch((error: unknown) => error);
      expect(movedError).toBeInstanceOf(SignatureError);

      const real = await producer.enqueue(tasks.countWords, ['a b c']);
      expect(await real.result({ timeout: 30_000 })).toBe(3);

      const garbage = await engine.sendRaw(queue, { cmd: 'rm -rf /' });
      const refused = await producer
        .handle(garbage)
        .result({ timeout: 30_000 })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(JobPayloadError);
      expect((refused as JobPayloadError).code).toBe('ERR_SELFSAME_JOB_PAYLOAD');
      expect(existsSync(tripwire)).toBe(false);
    }, 90_000);

    it('an unsigned queue, opted out by name, still refuses references outside the policy', async () => {
      const queue = await engine.newQueue(quick);
      const tripwire = join(tempDir(), 'tripwire.txt');
      const options = { unsigned: queue };
      await startWorker({ ...engine.workerConfig(queue, quick, options), tripwire });
      const producer = engine.producer(queue, options);
      const builtin = await engine.sendRaw(queue, {
        selfsame: 1,
        ref: { v: 1, module: 'node:child_process', qualname: 'execSync', digest: DIGEST },
        args: JSON.stringify([`touch ${tripwire}`]),
      });
      const error = await producer
        .handle(builtin)
        .result({ timeout: 30_000 })
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ReferencePolicyError);
      expect((error as ReferencePolicyError).code).toBe('ERR_SELFSAME_REFERENCE_POLICY');
      expect(existsSync(tripwire)).toBe(false);
      expect(
        await (await producer.enqueue(tasks.countWords, ['x'])).result({ timeout: 30_000 }),
      ).toBe(1);
    }, 60_000);

    it('refuses a stale digest after the task module changed on disk with IntegrityError', async () => {
      const queue = await engine.newQueue(quick);
      const dir = tempDir();
      const file = join(dir, 'greet.js');
      copyFileSync(join(root, 'test/fixtures/queue/tasks-v1.js'), file);
      const { greet } = (await loadNamespace(pathToFileURL(file).href, 'greet.js'))
        .namespace as Fixture;
      const producer = engine.producer(queue, { ...signed, root: dir });
      writeFileSync(
        file,
        ['export function greet(name) {', '  return "bye " + name;', '}', ''].join('\n'),
      );
      await startWorker(engine.workerConfig(queue, quick, { ...signed, root: dir }));
      const handle = await producer.enqueue(greet, ['you']);
      const error = await handle.result({ timeout: 30_000 }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).code).toBe('ERR_SELFSAME_INTEGRITY');
      expect((error as IntegrityError).expected).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect((error as IntegrityError).actual).not.toBe((error as IntegrityError).expected);
    }, 60_000);

    it('delivers results and errors with their class, code and cause', async () => {
      const queue = await engine.newQueue(quick);
      await startWorker(engine.workerConfig(queue, quick, signed));
      const producer = engine.producer(queue, signed);
      const failing = await producer.enqueue(tasks.failWith, ['E_TASK']);
      const error = await failing.result({ timeout: 30_000 }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as RangeError).message).toBe('refusing E_TASK');
      expect((error as { code?: string }).code).toBe('E_TASK');
      expect((error as Error).cause).toBeInstanceOf(TypeError);
      expect(((error as Error).cause as Error).message).toBe('inner cause');
      expect((error as Error).stack).toContain('failWith');

      const date = await producer.enqueue(tasks.returnsDate, []);
      const notJson = await date.result({ timeout: 30_000 }).catch((thrown: unknown) => thrown);
      expect(notJson).toBeInstanceOf(JobResultError);
      expect((notJson as JobResultError).code).toBe('ERR_SELFSAME_JOB_RESULT');
      expect((notJson as Error).message).toBe(
        `The result of \`returnsDate\` (job ${date.id} on \`${queue}\`) is not JSON data: \`result\` is an object of class \`Date\`; return plain data`,
      );

      await expect(producer.enqueue(tasks.countWords, [new Date(0)] as never)).rejects.toThrow(
        new TypeError(
          'Expected `args` to be JSON data (jobs carry JSON), but `args[0]` is an object of class `Date`',
        ),
      );
      expect(
        await (await producer.enqueue(tasks.countWords, ['a b'])).result({ timeout: 30_000 }),
      ).toBe(2);
    }, 60_000);

    it('shuts down under load without losing a job', async () => {
      const queue = await engine.newQueue(quick);
      const file = join(tempDir(), 'runs.txt');
      const leaving = await startWorker(engine.workerConfig(queue, quick, signed));
      await startWorker(engine.workerConfig(queue, quick, signed));
      const producer = engine.producer(queue, signed);
      const items = Array.from({ length: 30 }, (_, index) => index);
      const handles = await Promise.all(
        items.map((value) => producer.enqueue(tasks.slowRecord, [file, value, 100])),
      );
      await waitFor(
        () => lines(file).some((line) => line.startsWith(`start ${leaving.child.pid}`)),
        30_000,
        () => `the first worker never took a job: ${leaving.output()}`,
      );
      expect(await leaving.terminate()).toBe(0);
      expect(leaving.output()).toContain('closed\n');
      expect(
        await Promise.all(handles.map((handle) => handle.result({ timeout: 60_000 }))),
      ).toEqual(items);
      const done = lines(file).filter((line) => !line.startsWith('start'));
      expect(done.map((line) => Number(line.split(' ')[1])).sort((a, b) => a - b)).toEqual(items);
      // Every job the leaving worker started, it finished: graceful close runs jobs in hand to the end.
      const startedThere = lines(file).filter((line) =>
        line.startsWith(`start ${leaving.child.pid}`),
      ).length;
      const finishedThere = done.filter((line) => line.startsWith(`${leaving.child.pid} `)).length;
      expect(finishedThere).toBe(startedThere);
    }, 120_000);

    engine.more?.();
  });
}
