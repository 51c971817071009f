/**
 * The BullMQ binding: jobs in Redis. BullMQ is loaded with `import('bullmq')` on the first call,
 * never when `selfsame/queue` is imported; its own options (connection, concurrency, lock and
 * stall settings, job attempts and backoff) pass through as they are.
 */
import { describeValue } from '../internal/describe.js';
import { JobOutcomeError } from './errors.js';
import {
  checkQueueName,
  checkSecurity,
  type QueueOptions,
  splitOptions,
  type WorkerSecurityOptions,
} from './options.js';
import { type Engine, makeProducer, type Producer } from './producer.js';
import { isStoredOutcome, type StoredOutcome } from './result.js';
import { runJob } from './run.js';
import type { QueueWorker } from './worker.js';

type BullMQ = typeof import('bullmq');
type BullJob = import('bullmq').Job;

/** BullMQ's options, passed through as they are. */
type EngineOptions = Readonly<Record<string, unknown>>;

/** Options of {@link bullmqQueue}: the security options, and how BullMQ reaches Redis. */
export interface BullMQQueueOptions extends QueueOptions {
  /** BullMQ's `connection` (ioredis options or an ioredis instance). */
  readonly connection: unknown;
  /** BullMQ's key `prefix`. Default BullMQ's own (`bull`). */
  readonly prefix?: string | undefined;
  /** BullMQ `Queue` options (`defaultJobOptions`, `streams`...), passed as they are. */
  readonly queue?: EngineOptions | undefined;
}

/** Options of {@link bullmqWorker}: the security options, the connection, BullMQ's own. */
export interface BullMQWorkerOptions extends WorkerSecurityOptions {
  /** BullMQ's `connection` (ioredis options or an ioredis instance). */
  readonly connection: unknown;
  /** BullMQ's key `prefix`. Default BullMQ's own (`bull`). */
  readonly prefix?: string | undefined;
  /**
   * BullMQ `Worker` options (`concurrency`, `lockDuration`, `stalledInterval`,
   * `maxStalledCount`, `limiter`...), passed as they are.
   */
  readonly worker?: EngineOptions | undefined;
}

/** A producer that also owns its BullMQ `Queue` and `QueueEvents`, so it must be closed. */
export interface BullMQProducer extends Producer<EngineOptions> {
  /**
   * Closes the producer's Redis connections, without waiting for a Redis that is unreachable
   * (its reconnection attempts stop); a `result()` still waiting rejects, at the latest at its
   * `timeout`.
   */
  close(): Promise<void>;
}

const PRODUCER_OWN_KEYS = ['connection', 'prefix', 'queue'];
const WORKER_OWN_KEYS = ['connection', 'prefix', 'worker'];

let loading: Promise<BullMQ> | undefined;
/** BullMQ, imported once, on first use. */
function bullmq(): Promise<BullMQ> {
  loading ??= import('bullmq').catch((error: unknown) => {
    loading = undefined;
    throw new Error(
      "selfsame/queue's BullMQ binding needs the `bullmq` package (and `ioredis`): `npm install bullmq ioredis`",
      { cause: error },
    );
  });
  return loading;
}

/**
 * A producer for one BullMQ queue: `enqueue` adds a job named after the function's qualname,
 * and a handle's `result()` waits on BullMQ's `QueueEvents` for the job to finish.
 *
 * @param name - the queue's name
 * @param options - `connection` (required), `prefix`, `key` (or `unsigned: name`), `root`,
 *   `packages`
 * @returns the producer; `send` options of each call are BullMQ job options (`attempts`,
 *   `backoff`, `priority`, `delay`...)
 * @throws {@link QueueKeyError} without a key unless `unsigned` names the queue;
 *   `TypeError` on malformed arguments
 * @example
 * ```ts
 * const queue = bullmqQueue('word-count', { connection: { port: 6379 }, key });
 * const job = await queue.enqueue(countWords, ['a b'], { send: { attempts: 3 } });
 * console.log(await job.result()); // 2
 * await queue.close();
 * ```
 */
export function bullmqQueue(name: string, options: BullMQQueueOptions): BullMQProducer {
  checkQueueName(name);
  const { security, rest } = splitOptions<BullMQQueueOptions>(
    options,
    'producer',
    PRODUCER_OWN_KEYS,
  );
  const checked = checkSecurity(name, security, 'producer');
  const shared = connectionOptions(rest);
  const queueOptions = engineOptions(rest.queue, 'queue', 'Queue');
  // The Queue and QueueEvents are kept as soon as they are made, before Redis answers: close()
  // must reach them while they are still connecting, or their reconnect loops would go on.
  let made: {
    queue?: import('bullmq').Queue;
    events?: import('bullmq').QueueEvents;
    eventsReady?: boolean;
  } = {};
  let parts: Promise<{ queue: import('bullmq').Queue; Job: BullMQ['Job'] }> | undefined;
  let listening: Promise<import('bullmq').QueueEvents> | undefined;
  let closing: Promise<void> | undefined;
  const refuseClosed = () => {
    if (closing !== undefined) {
      throw new Error(`The BullMQ producer of \`${name}\` is closed: make a new one`);
    }
  };
  const open = () => {
    parts ??= bullmq().then(async ({ Queue, Job }) => {
      refuseClosed();
      const queue = new Queue(name, { ...queueOptions, ...shared } as never);
      made.queue = queue;
      // Every handle still waiting holds a listener (BullMQ's `waitUntilFinished`): a `map` of
      // a thousand jobs is a thousand listeners, not a leak.
      queue.setMaxListeners(0);
      await queue.waitUntilReady();
      return { queue, Job };
    });
    return parts;
  };
  // QueueEvents reads every event of the queue from Redis: opened only once a result is
  // awaited, so a producer that only sends costs Redis nothing more than `queue.add`.
  const events = () => {
    listening ??= bullmq().then(async ({ QueueEvents }) => {
      refuseClosed();
      const listener = new QueueEvents(name, shared as never);
      made.events = listener;
      listener.setMaxListeners(0);
      await listener.waitUntilReady();
      made.eventsReady = true;
      return listener;
    });
    return listening;
  };
  const engine: Engine<EngineOptions> = {
    async send(payload, sendOptions) {
      const { queue } = await open();
      const job = await queue.add(payload.ref.qualname, payload, { ...sendOptions });
      return String(job.id);
    },
    async wait(id, signal) {
      // The QueueEvents only once the Queue has reached Redis: BullMQ 6 cannot close a
      // QueueEvents that never connected (its close() first awaits the connection), so one made
      // while Redis is unreachable would keep reconnecting after close().
      const { queue, Job } = await open();
      const listener = await events();
      return waitForOutcome({ queue, events: listener, Job, name, id, signal });
    },
  };
  const producer = makeProducer(engine, checked);
  return {
    ...producer,
    close() {
      closing ??= (async () => {
        // Only the import is awaited, never Redis: once it is in, what it made is in `made`,
        // and is closed whether or not it ever connected.
        if (parts !== undefined || listening !== undefined) await bullmq().catch(() => {});
        const { queue, events: listener, eventsReady } = made;
        made = {};
        // A QueueEvents that never connected (Redis went away between the Queue's connection
        // and its own) would make close() wait for Redis: it is told to close, not waited for.
        const closingEvents = listener?.close();
        closingEvents?.catch(() => {});
        await Promise.all([queue?.close(), eventsReady === true ? closingEvents : undefined]);
      })();
      return closing;
    },
  };
}

/**
 * Starts a BullMQ `Worker` for one queue that runs any allowlisted function its jobs name, with
 * BullMQ's own concurrency, retries, backoff, stall detection and events. A task reaches
 * `job.updateProgress` through `currentJob().progress()` and the processor's `AbortSignal`
 * (BullMQ's `worker.cancelJob`) through `currentJob().signal`. A refused job (bad signature,
 * stale digest, a reference outside the policy) fails at once, without retries.
 *
 * @param name - the queue's name
 * @param options - `connection` (required), `prefix`, `worker` (BullMQ `Worker` options),
 *   `key` (or `unsigned: name`), `root`, `packages`, `verifyIntegrity`
 * @returns the running worker; `engine` is BullMQ's `Worker`
 * @throws {@link QueueKeyError} without a key unless `unsigned` names the queue;
 *   `TypeError` on malformed arguments
 * @example
 * ```ts
 * const worker = await bullmqWorker('word-count', { connection: { port: 6379 }, key, worker: { concurrency: 4 } });
 * worker.engine.on('completed', (job) => console.log(job.id));
 * process.once('SIGTERM', () => worker.close());
 * ```
 */
export async function bullmqWorker(
  name: string,
  options: BullMQWorkerOptions,
): Promise<QueueWorker<import('bullmq').Worker>> {
  checkQueueName(name);
  const { security, rest } = splitOptions<BullMQWorkerOptions>(options, 'worker', WORKER_OWN_KEYS);
  const setup = checkSecurity(name, security, 'worker');
  const shared = connectionOptions(rest);
  const own = rest.worker;
  if (own !== undefined && (typeof own !== 'object' || own === null || Array.isArray(own))) {
    throw new TypeError(
      `Expected \`options.worker\` to be BullMQ Worker options, got ${describeValue(own)}`,
    );
  }
  const { Worker, UnrecoverableError } = await bullmq();
  const never = new AbortController().signal;
  const processor = async (job: BullJob, _token?: string, signal?: AbortSignal) => {
    const id = String(job.id);
    const outcome = await runJob(
      {
        id,
        queue: name,
        attempt: job.attemptsMade + 1,
        signal: signal ?? never,
        progress: (value) => job.updateProgress(value),
        data: job.data,
      },
      setup,
    );
    if (!('error' in outcome.stored)) return outcome.stored;
    // BullMQ keeps only a failure's message and stack: the envelope is stored beside the
    // payload so the producer can rebuild the error's class, code and cause.
    await job.updateData({ ...(job.data as object), failure: outcome.stored });
    const thrown = outcome.thrown;
    const message = thrown instanceof Error ? thrown.message : String(outcome.stored.error.message);
    if (outcome.refused) throw new UnrecoverableError(message);
    throw thrown instanceof Error ? thrown : new Error(message);
  };
  const worker = new Worker(name, processor, { ...own, ...shared } as never);
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    queue: name,
    engine: worker,
    close() {
      closing ??= worker.close();
      return closing;
    },
  };
}

interface Waiting {
  readonly queue: import('bullmq').Queue;
  readonly events: import('bullmq').QueueEvents;
  readonly Job: BullMQ['Job'];
  readonly name: string;
  readonly id: string;
  readonly signal: AbortSignal;
}

async function waitForOutcome({
  queue,
  events,
  Job,
  name,
  id,
  signal,
}: Waiting): Promise<StoredOutcome> {
  signal.throwIfAborted();
  if ((await Job.fromId(queue, id)) === undefined) throw missing(id, name);
  await finished(queue, events, id, signal);
  const done = await Job.fromId(queue, id);
  if (done === undefined) throw missing(id, name);
  const state = await done.getState();
  if (state === 'completed' && isStoredOutcome(done.returnvalue)) return done.returnvalue;
  const failure = (done.data as { failure?: unknown } | undefined)?.failure;
  if (state === 'failed' && isStoredOutcome(failure)) return failure;
  throw new JobOutcomeError(
    `Job ${id} on \`${name}\` ended as \`${state}\` without a selfsame outcome${done.failedReason ? `: BullMQ says \`${done.failedReason}\`` : ''}`,
    id,
    state,
  );
}

const FINAL_STATES = new Set(['completed', 'failed', 'unknown']);
const FIRST_CHECK_MS = 200;
const MAX_CHECK_MS = 2000;

/**
 * Resolves once the job is completed or failed, or rejects with the signal's reason when it
 * aborts (the producer's deadline).
 * It listens to BullMQ's `QueueEvents` and also asks Redis for the job's state, from every
 * 200 ms up to every 2 s: a `QueueEvents` opened moments before the job finished can miss
 * its event (it reads the stream from the moment its first read starts, which comes after
 * `waitUntilReady()` and after `job.waitUntilFinished`'s own one-time check), and would then
 * wait forever.
 */
function finished(
  queue: import('bullmq').Queue,
  events: import('bullmq').QueueEvents,
  id: string,
  signal: AbortSignal,
): Promise<void> {
  // BullMQ emits `completed:<id>` and `failed:<id>` per job, outside its typed event map.
  const emitter = events as unknown as import('node:events').EventEmitter;
  return new Promise((resolve, reject) => {
    let check: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      clearTimeout(check);
      emitter.removeListener(`completed:${id}`, onEvent);
      emitter.removeListener(`failed:${id}`, onEvent);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onEvent = () => finish();
    const onAbort = () => finish(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    emitter.on(`completed:${id}`, onEvent);
    emitter.on(`failed:${id}`, onEvent);
    const poll = (pause: number) => {
      check = setTimeout(async () => {
        try {
          if (FINAL_STATES.has(await queue.getJobState(id))) finish();
          else if (!settled) poll(Math.min(Math.max(pause * 2, FIRST_CHECK_MS), MAX_CHECK_MS));
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      }, pause);
    };
    // The first check at once, for a job that finished before the listeners were added.
    poll(0);
  });
}

function missing(id: string, name: string): JobOutcomeError {
  return new JobOutcomeError(
    `Job ${id} on \`${name}\` is gone: it was removed before its outcome was read`,
    id,
    'missing',
  );
}

function engineOptions(value: unknown, option: string, engineClass: string): EngineOptions {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Expected \`options.${option}\` to be BullMQ ${engineClass} options, got ${describeValue(value)}`,
    );
  }
  return value as EngineOptions;
}

function connectionOptions(rest: { connection?: unknown; prefix?: unknown }): EngineOptions {
  const { connection, prefix } = rest;
  if (typeof connection !== 'object' || connection === null) {
    throw new TypeError(
      `Expected \`options.connection\` to be BullMQ connection options (for example \`{ host: '127.0.0.1', port: 6379 }\`) or an ioredis instance, got ${describeValue(connection)}`,
    );
  }
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length === 0)) {
    throw new TypeError(
      `Expected \`options.prefix\` to be a non-empty string, got ${describeValue(prefix)}`,
    );
  }
  return prefix === undefined ? { connection } : { connection, prefix };
}
