/**
 * The producer, the same for every engine: prove the function, make the payload, send it with
 * the engine's own options, and hand back a {@link JobHandle} whose result can be awaited.
 */
import { checkFunction, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { ResultTimeoutError } from './errors.js';
import { jsonIssue } from './json-data.js';
import type { Security } from './options.js';
import { type JobPayload, makePayload } from './payload.js';
import { type StoredOutcome, settle } from './result.js';

/** How long `result()` waits by default: five minutes. */
export const DEFAULT_RESULT_TIMEOUT = 300_000;

/** Options of {@link JobHandle.result}. */
export interface ResultOptions {
  /**
   * Milliseconds to wait for the job to finish, retries included, counted from the call: the
   * time spent reaching the engine (connecting, a Redis or PostgreSQL that does not answer)
   * counts too. Default five minutes; then the promise rejects with {@link ResultTimeoutError}
   * (the job itself goes on).
   */
  readonly timeout?: number | undefined;
}

/** A job that was sent: its id in the engine, and its result once a worker has run it. */
export interface JobHandle<R> {
  /** The job's id in its engine. */
  readonly id: string;
  /** The queue's name. */
  readonly queue: string;
  /**
   * Waits for the job's final outcome (after the engine's retries).
   *
   * @returns the task's value, as JSON carried it
   * @throws the task's error (or the worker's refusal: `SignatureError`, `IntegrityError`...),
   *   rebuilt with its class, `code`, `cause` and stack; {@link ResultTimeoutError} after
   *   `timeout`; `JobOutcomeError` when the job ended without a selfsame outcome (cancelled, removed)
   */
  result(options?: ResultOptions): Promise<R>;
}

/** Options of {@link Producer.enqueue} and {@link Producer.map}: the engine's own send options. */
export interface EnqueueOptions<SendOptions> {
  /** Passed to the engine as they are (pg-boss `send` options, BullMQ job options). */
  readonly send?: SendOptions | undefined;
}

/** Options of {@link Producer.map}: those of enqueue, and how long to wait for the results. */
export interface QueueMapOptions<SendOptions> extends EnqueueOptions<SendOptions>, ResultOptions {}

/** Sends jobs to one queue of one engine. */
export interface Producer<SendOptions> {
  /** The queue's name. */
  readonly queue: string;
  /**
   * Sends `fn(...args)` to the queue. The function is proven with `toReference` first, so a
   * function no worker could find fails here.
   *
   * @param fn - an exported, referenceable function
   * @param args - its arguments, JSON data
   * @param options - `send`: the engine's own options for this job
   * @returns the job's handle, once the engine has stored the job
   * @throws `NotReferenceableError` when `fn` cannot be referenced; `TypeError` when `args`
   *   is not an array of JSON data
   */
  enqueue<A extends unknown[], R>(
    fn: (...args: A) => R,
    args: A,
    options?: EnqueueOptions<SendOptions>,
  ): Promise<JobHandle<Awaited<R>>>;
  /**
   * The handle of a job sent earlier, perhaps by another process, from its id.
   *
   * @param id - the job's id in the engine
   * @returns its handle; `result()` reads the outcome whoever sent the job
   */
  handle<R = unknown>(id: string): JobHandle<R>;
  /**
   * Sends one job `fn(item)` per item, then gathers the results in input order.
   *
   * @param fn - an exported, referenceable function of one argument
   * @param items - the arguments, JSON data
   * @param options - `send` for every job, `timeout` for each result
   * @returns the results in input order
   * @throws the first failure in input order, as {@link JobHandle.result} throws it; the other
   *   jobs go on
   */
  map<A, R>(
    fn: (item: A) => R,
    items: Iterable<A>,
    options?: QueueMapOptions<SendOptions>,
  ): Promise<Awaited<R>[]>;
}

/** What a binding provides: how to send one payload, and how to wait for its outcome. */
export interface Engine<SendOptions> {
  send(payload: JobPayload, options: SendOptions | undefined): Promise<string>;
  /**
   * The stored outcome, or throws `JobOutcomeError`. The producer enforces the deadline: when
   * `signal` aborts (with the `ResultTimeoutError`), the engine stops waiting and rejects.
   */
  wait(id: string, signal: AbortSignal): Promise<StoredOutcome>;
}

const ENQUEUE_KEYS = ['send'];
const RESULT_KEYS = ['timeout'];
const MAP_KEYS = ['send', 'timeout'];

/** Makes the producer of one queue on one engine. */
export function makeProducer<SendOptions>(
  engine: Engine<SendOptions>,
  security: Security,
): Producer<SendOptions> {
  const { queue } = security;
  const handle = <R>(id: string): JobHandle<R> => ({
    id,
    queue,
    async result(options?: ResultOptions): Promise<R> {
      checkOptions(options as unknown, 'options');
      if (options !== undefined) checkKnownKeys(options, 'options', RESULT_KEYS);
      return settle(await waitWithin(id, checkTimeout(options))) as R;
    },
  });
  /**
   * The engine's wait, bounded here once for every engine: at `timeout` the promise rejects with
   * `ResultTimeoutError` whatever the engine is doing (connecting, reading), and the engine is
   * told to stop through the signal.
   */
  const waitWithin = (id: string, timeout: number): Promise<StoredOutcome> =>
    new Promise((resolve, reject) => {
      const controller = new AbortController();
      const timer = setTimeout(() => {
        const error = resultTimeout(id, queue, timeout);
        controller.abort(error);
        reject(error);
      }, timeout);
      engine
        .wait(id, controller.signal)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  const send = async (fn: Function, args: unknown, options: SendOptions | undefined) =>
    engine.send(await makePayload(fn, args, security), options);
  return {
    queue,
    handle(id) {
      if (typeof id !== 'string' || id.length === 0) {
        throw new TypeError(`Expected \`id\` to be a job id, got ${describeValue(id)}`);
      }
      return handle(id);
    },
    async enqueue(fn, args, options) {
      checkFunction(fn, 'fn');
      checkOptions(options as unknown, 'options');
      if (options !== undefined) checkKnownKeys(options, 'options', ENQUEUE_KEYS);
      return handle(await send(fn, args, options?.send));
    },
    async map(fn, items, options) {
      checkFunction(fn, 'fn');
      checkOptions(options as unknown, 'options');
      if (options !== undefined) checkKnownKeys(options, 'options', MAP_KEYS);
      const timeout = checkTimeout(options);
      if (
        items === null ||
        typeof (items as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function'
      ) {
        throw new TypeError(`Expected \`items\` to be an iterable, got ${describeValue(items)}`);
      }
      // Every job is proven and checked before the first is sent, so a bad item sends nothing.
      const list = [...items];
      const payloads = await Promise.all(list.map((item, index) => payloadOf(fn, item, index)));
      const ids = await Promise.all(payloads.map((payload) => engine.send(payload, options?.send)));
      const outcomes = await Promise.allSettled(ids.map((id) => waitWithin(id, timeout)));
      return outcomes.map((outcome) => {
        if (outcome.status === 'rejected') throw outcome.reason;
        return settle(outcome.value) as never;
      });
    },
  };

  async function payloadOf(fn: Function, item: unknown, index: number): Promise<JobPayload> {
    const issue = jsonIssue(item, `items[${index}]`);
    if (issue !== undefined) {
      throw new TypeError(`Expected \`items\` to be JSON data (jobs carry JSON), but ${issue}`);
    }
    return makePayload(fn, [item], security);
  }
}

function checkTimeout(options: ResultOptions | undefined): number {
  checkOptions(options as unknown, 'options');
  const timeout = options?.timeout;
  if (timeout === undefined) return DEFAULT_RESULT_TIMEOUT;
  if (
    typeof timeout !== 'number' ||
    !(timeout > 0) ||
    !Number.isFinite(timeout) ||
    timeout > 2 ** 31 - 1
  ) {
    throw new RangeError(
      `Expected \`options.timeout\` to be a number of milliseconds from 1 to ${2 ** 31 - 1}, got ${describeValue(timeout)}`,
    );
  }
  return timeout;
}

/** A {@link ResultTimeoutError} for a job. */
export function resultTimeout(id: string, queue: string, timeout: number): ResultTimeoutError {
  return new ResultTimeoutError(
    `Job ${id} on \`${queue}\` did not finish within ${timeout} ms; it may still run: wait again with a longer \`timeout\``,
    id,
  );
}
