/**
 * A pool of worker threads that runs functions by reference, modelled on Python's
 * `multiprocessing.Pool`, on top of piscina.
 *
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { checkFunction } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { PoolClosedError, UncloneableError } from './errors.js';
import {
  type ApplyOptions,
  checkApplyOptions,
  checkMapOptions,
  type MapOptions,
  type PoolOptions,
  type ResolvedPoolOptions,
  resolvePoolOptions,
} from './options.js';
import {
  fromRejection,
  fromResponse,
  lateWarnings,
  type Outcome,
  type TaskFacts,
} from './outcome.js';
import { OUT_OF_BAND, type TaskMessage, type TaskResponse, type WorkerSetup } from './protocol.js';
import { type FunctionReference, type ReferenceOptions, toReference } from './reference.js';

/** One task: some items of one call, sent to a worker together. */
/** A function ready to send: its reference as JSON text (one string clones fastest), its label. */
interface Sendable {
  readonly wire: string;
  readonly label: string;
}

interface Task {
  readonly id: number;
  readonly fn: Sendable;
  readonly items: readonly (readonly unknown[])[];
  readonly offset: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (outcome: Outcome) => void;
  dispatched: boolean;
  settled: boolean;
  timeoutSignal?: AbortSignal;
}

/** The tasks of one `map`-like call, in input order, and a way to drop the ones not started. */
interface Job {
  readonly outcomes: readonly Promise<Outcome>[];
  readonly total: number;
  cancel(reason: unknown): void;
}

type Source<T> = Iterable<T> | AsyncIterable<T>;

// setTimeout's ceiling: a longer timeout would fire at once.
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * A pool of worker threads running functions that travel by reference, like Python's
 * `multiprocessing.Pool`: the function and the initializer are sent as references
 * (`toReference`) and resolved in each worker under the same policy (`fromReference`), once per
 * worker; arguments and results travel by structured clone; errors keep their class, message,
 * stack, `code` and `cause`. Each worker runs one task at a time.
 *
 * @example
 * ```ts
 * import { isMainModule } from 'selfsame';
 * import { Pool } from 'selfsame/pool';
 * import { countLorem } from './tasks.js';
 *
 * if (isMainModule(import.meta)) {
 *   await using pool = new Pool({ size: 2 });
 *   console.log(await pool.map(countLorem, text.split(','))); // [1, 2]
 * }
 * ```
 */
export class Pool {
  /** How many worker threads the pool runs. */
  readonly size: number;
  readonly #options: ResolvedPoolOptions;
  readonly #policy: ReferenceOptions;
  readonly #engine: Promise<Piscina>;
  #piscina: Piscina | undefined;
  #initializerLabel: string | undefined;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #terminating = false;
  #closing: Promise<void> | undefined;
  readonly #queue: Task[] = [];
  readonly #running = new Map<number, Task>();
  #preparing = 0;
  #admission: Promise<void> = Promise.resolve();
  #nextId = 1;
  #idleWaiters: (() => void)[] = [];
  readonly #references = new WeakMap<Function, Promise<Sendable>>();
  readonly #known = new WeakMap<Function, Sendable>();

  /**
   * Starts `size` worker threads.
   *
   * @param options - see {@link PoolOptions}; every option is optional
   * @throws TypeError or RangeError when an option is malformed, naming it and what was received
   * @example
   * ```ts
   * const pool = new Pool({ size: 2, initializer: setUp, initargs: ['verbose'], timeout: 5_000 });
   * ```
   */
  constructor(options?: PoolOptions) {
    this.#options = resolvePoolOptions(options);
    this.size = this.#options.size;
    const { root, packages, key } = this.#options;
    this.#policy = {
      // Pinned now, so that the main thread and every worker resolve against the same root even
      // if the working directory changes later.
      root: root ?? process.cwd(),
      ...(packages === undefined ? {} : { packages }),
      ...(key === undefined ? {} : { key }),
    };
    this.#engine = this.#start();
    // A failure to start is reported by every call that awaits `#engine`, never lost.
    this.#engine.catch(() => undefined);
  }

  /**
   * Calls `fn(...args)` in a worker thread.
   *
   * @param fn - a referenceable function (exported from a module, identity kept through any
   *   decorators)
   * @param args - its arguments, sent by structured clone
   * @param options - `signal` to abort the call
   * @returns what `fn` returns (awaited), received by structured clone
   * @throws TypeError when an argument is malformed; {@link PoolClosedError} after `close()` or
   *   `terminate()`; `toReference`'s errors when `fn` is not referenceable; whatever `fn` throws,
   *   rebuilt with its class, `code`, `cause` and stack; {@link WorkerExitError},
   *   {@link WorkerOutOfMemoryError}, {@link TaskTimeoutError}, {@link TaskAbortedError},
   *   {@link UncloneableError}, {@link TaskFailedError}, {@link WorkerInitError} on those faults
   * @example
   * ```ts
   * const sum = await pool.apply(add, [2, 3]); // 5
   * ```
   */
  async apply<A extends unknown[], R>(
    fn: (...args: A) => R,
    args: A,
    options?: ApplyOptions,
  ): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    if (!Array.isArray(args)) {
      throw new TypeError(`Expected \`args\` to be an array, got ${describeValue(args)}`);
    }
    const signal = options === undefined ? undefined : checkApplyOptions(options).signal;
    this.#checkOpen(fn);
    const known = this.#known.get(fn);
    let pending: Promise<Outcome>;
    if (known !== undefined && this.#piscina !== undefined && this.#preparing === 0) {
      // The fast path of a round trip: reference made and workers started, nothing to await.
      const { task, outcome } = this.#createTask(known, [args], 0, signal);
      this.#queue.push(task);
      this.#pump();
      pending = outcome;
    } else {
      pending = this.#prepare(fn, [args], 1, signal).then(
        (job) => job.outcomes[0] as Promise<Outcome>,
      );
    }
    const outcome = await pending;
    if ('error' in outcome) throw outcome.error;
    return outcome.values[0] as Awaited<R>;
  }

  /**
   * Calls `fn(item)` for each item in worker threads, like Python's `Pool.map`.
   *
   * @param fn - a referenceable function of one argument
   * @param iterable - the items (read in full first), sync or async
   * @param options - `chunksize`, `signal`, `onProgress`; see {@link MapOptions}
   * @returns the results in input order
   * @throws the errors of {@link Pool.apply}; the first failure rejects the whole map and drops
   *   the tasks not yet started
   * @example
   * ```ts
   * const counts = await pool.map(countLorem, text.split(','), { chunksize: 1 });
   * ```
   */
  async map<A, R>(
    fn: (arg: A) => R,
    iterable: Source<A>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]> {
    checkFunction(fn, 'fn');
    checkSource(iterable);
    const checked = checkMapOptions(options);
    this.#checkOpen(fn);
    return this.#collect(fn, readItems(iterable, false), checked) as Promise<Awaited<R>[]>;
  }

  /**
   * Calls `fn(...args)` for each argument list in worker threads, like Python's `Pool.starmap`.
   *
   * @param fn - a referenceable function
   * @param iterable - argument lists (arrays), sync or async
   * @param options - see {@link MapOptions}
   * @returns the results in input order
   * @throws TypeError when an item is not an array; otherwise as {@link Pool.map}
   * @example
   * ```ts
   * await pool.starmap(add, [[1, 2], [3, 4]]); // [3, 7]
   * ```
   */
  async starmap<A extends unknown[], R>(
    fn: (...args: A) => R,
    iterable: Source<A>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]> {
    checkFunction(fn, 'fn');
    checkSource(iterable);
    const checked = checkMapOptions(options);
    this.#checkOpen(fn);
    return this.#collect(fn, readItems(iterable, true), checked) as Promise<Awaited<R>[]>;
  }

  /**
   * Like {@link Pool.map}, yielding each result in input order as soon as it and all before it
   * are done. The work is submitted at once; leaving the loop early drops the tasks not started.
   *
   * @param fn - a referenceable function of one argument
   * @param iterable - the items, sync or async
   * @param options - see {@link MapOptions}
   * @returns an async iterable of the results, in input order
   * @throws TypeError or {@link PoolClosedError} at once; task failures when iteration reaches
   *   them, after the results before them
   * @example
   * ```ts
   * for await (const count of pool.imap(countLorem, lines)) console.log(count);
   * ```
   */
  imap<A, R>(
    fn: (arg: A) => R,
    iterable: Source<A>,
    options?: MapOptions,
  ): AsyncIterableIterator<Awaited<R>> {
    return this.#iterate(fn, iterable, options, true) as AsyncIterableIterator<Awaited<R>>;
  }

  /**
   * Like {@link Pool.imap}, yielding results as they complete, each exactly once.
   *
   * @param fn - a referenceable function of one argument
   * @param iterable - the items, sync or async
   * @param options - see {@link MapOptions}
   * @returns an async iterable of the results, in completion order
   * @throws as {@link Pool.imap}
   * @example
   * ```ts
   * for await (const count of pool.imapUnordered(countLorem, lines)) total += count;
   * ```
   */
  imapUnordered<A, R>(
    fn: (arg: A) => R,
    iterable: Source<A>,
    options?: MapOptions,
  ): AsyncIterableIterator<Awaited<R>> {
    return this.#iterate(fn, iterable, options, false) as AsyncIterableIterator<Awaited<R>>;
  }

  /**
   * Refuses new work, lets everything already submitted finish, then stops the workers
   * (Python's `close()` followed by `join()`).
   *
   * @returns a promise that resolves once every worker has stopped
   * @throws nothing: the failures of submitted work are reported to their own callers
   * @example
   * ```ts
   * const results = pool.map(task, items);
   * await pool.close(); // waits for the map
   * ```
   */
  close(): Promise<void> {
    if (this.#state === 'open') this.#state = 'closing';
    this.#closing ??= this.#whenIdle().then(async () => {
      this.#state = 'closed';
      await this.#piscina?.close();
    });
    return this.#closing;
  }

  /**
   * Stops the workers now: queued and running work rejects with {@link PoolClosedError}.
   *
   * @returns a promise that resolves once every worker has stopped
   * @throws nothing
   * @example
   * ```ts
   * await pool.terminate();
   * ```
   */
  async terminate(): Promise<void> {
    this.#state = 'closed';
    this.#terminating = true;
    for (const task of this.#queue.splice(0)) {
      this.#settle(task, {
        values: [],
        error: new PoolClosedError(`The pool was terminated before ${task.fn.label} started`),
      });
    }
    const engine = await this.#engine.catch(() => undefined);
    await engine?.destroy();
  }

  /**
   * `await using pool = new Pool()` closes the pool at the end of the block: work already
   * submitted finishes first (Python's `with Pool()` terminates instead).
   *
   * @returns the promise of {@link Pool.close}
   * @example
   * ```ts
   * await using pool = new Pool({ size: 2 });
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #start(): Promise<Piscina> {
    const { initializer, initargs, maxTasksPerWorker, size, resourceLimits } = this.#options;
    const initializerRef =
      initializer === undefined ? undefined : await this.#reference(initializer);
    this.#initializerLabel = initializerRef?.label;
    const setup: WorkerSetup = {
      policy: this.#policy as WorkerSetup['policy'],
      initializer: initializerRef?.wire,
      initargs,
      maxTasksPerWorker,
    };
    let engine: Piscina;
    try {
      engine = new Piscina({
        filename: dispatcherFile(),
        minThreads: size,
        maxThreads: size,
        concurrentTasksPerWorker: 1,
        idleTimeout: Number.POSITIVE_INFINITY,
        workerData: setup,
        ...(resourceLimits === undefined ? {} : { resourceLimits }),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'DataCloneError') {
        throw new UncloneableError(
          `Cannot send \`options.initargs\` to the worker threads: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    engine.on('message', (message: unknown) => this.#onOutOfBand(message));
    // A worker failing with no task of its own (piscina's 'error' event) must not crash the
    // process: the pool reports it as a warning and piscina replaces the worker.
    engine.on('error', (error: unknown) => {
      process.emitWarning(error instanceof Error ? error : new Error(String(error)));
    });
    this.#piscina = engine;
    return engine;
  }

  #reference(fn: Function): Promise<Sendable> {
    let found = this.#references.get(fn);
    if (found === undefined) {
      found = toReference(fn, this.#policy).then((ref) => ({
        wire: JSON.stringify(ref),
        label: labelOf(ref),
      }));
      this.#references.set(fn, found);
      found.then(
        (ref) => this.#known.set(fn, ref),
        () => undefined, // the caller awaiting `found` receives the failure
      );
    }
    return found;
  }

  /** Resolves the reference and the engine, then queues the items as tasks of `chunksize`. */
  async #prepare(
    fn: Function,
    items: readonly (readonly unknown[])[] | Promise<readonly (readonly unknown[])[]>,
    chunksize: number | undefined,
    signal: AbortSignal | undefined,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Job> {
    // Work submitted before close() counts as queued even while its reference is being made.
    this.#preparing += 1;
    // Calls are queued in the order they were made, however long each one's reference takes.
    const previous = this.#admission;
    let admitted!: () => void;
    this.#admission = new Promise((resolve) => {
      admitted = resolve;
    });
    try {
      const [ref, list] = await Promise.all([this.#reference(fn), items, this.#engine]);
      await previous;
      if (this.#state === 'closed') {
        throw new PoolClosedError(`Cannot run ${ref.label}: the pool was terminated`);
      }
      const size = chunksize ?? autoChunksize(list.length, this.size);
      const outcomes: Promise<Outcome>[] = [];
      const tasks: Task[] = [];
      let done = 0;
      for (let offset = 0; offset < list.length; offset += size) {
        const { task, outcome } = this.#createTask(
          ref,
          list.slice(offset, offset + size),
          offset,
          signal,
        );
        tasks.push(task);
        outcomes.push(
          onProgress === undefined
            ? outcome
            : outcome.then((result) => {
                done += result.values.length;
                if (!('error' in result)) onProgress(done, list.length);
                return result;
              }),
        );
      }
      this.#queue.push(...tasks);
      this.#pump();
      return {
        outcomes,
        total: list.length,
        cancel: (reason) => {
          for (const task of tasks) {
            if (!task.dispatched) this.#settle(task, { values: [], error: reason });
          }
        },
      };
    } finally {
      admitted();
      this.#preparing -= 1;
      this.#checkIdle();
    }
  }

  #createTask(
    fn: Sendable,
    items: readonly (readonly unknown[])[],
    offset: number,
    signal: AbortSignal | undefined,
  ): { task: Task; outcome: Promise<Outcome> } {
    let resolve!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((done) => {
      resolve = done;
    });
    const task: Task = {
      id: this.#nextId++,
      fn,
      items,
      offset,
      signal,
      resolve,
      dispatched: false,
      settled: false,
    };
    if (signal !== undefined) {
      const onAbort = (): void => {
        if (!task.dispatched) {
          this.#settle(task, {
            values: [],
            error: fromRejection(
              Object.assign(new Error('aborted'), { name: 'AbortError' }),
              this.#facts(task),
            ),
          });
        }
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        void outcome.then(() => signal.removeEventListener('abort', onAbort));
      }
    }
    return { task, outcome };
  }

  /** Hands queued tasks to piscina while a worker is free, so piscina's own queue stays empty. */
  #pump(): void {
    const engine = this.#piscina;
    if (engine === undefined) return;
    while (this.#running.size < this.size && this.#queue.length > 0) {
      const task = this.#queue.shift() as Task;
      if (task.settled) continue;
      task.dispatched = true;
      this.#running.set(task.id, task);
      let signal = task.signal;
      const { timeout } = this.#options;
      if (timeout !== undefined) {
        task.timeoutSignal = AbortSignal.timeout(
          Math.min(timeout * task.items.length, MAX_TIMEOUT),
        );
        signal =
          signal === undefined ? task.timeoutSignal : AbortSignal.any([signal, task.timeoutSignal]);
      }
      engine
        .run(
          [task.id, task.fn.wire, task.items] satisfies TaskMessage,
          signal === undefined ? {} : { signal },
        )
        .then(
          (response: TaskResponse) => this.#answer(task, response),
          (error: unknown) =>
            this.#settle(task, { values: [], error: fromRejection(error, this.#facts(task)) }),
        );
    }
  }

  #onOutOfBand(message: unknown): void {
    if (typeof message !== 'object' || message === null || !(OUT_OF_BAND in message)) return;
    const { [OUT_OF_BAND]: id, response } = message as {
      [OUT_OF_BAND]: number;
      response: TaskResponse;
    };
    const task = this.#running.get(id);
    if (task !== undefined) this.#answer(task, response);
  }

  #answer(task: Task, response: TaskResponse): void {
    if (Array.isArray(response)) {
      this.#settle(task, { values: response });
      return;
    }
    if (response.late !== undefined) {
      for (const warning of lateWarnings(response.late)) process.emitWarning(warning);
    }
    this.#settle(
      task,
      response.failure === undefined ? response : fromResponse(response, this.#facts(task)),
    );
  }

  #settle(task: Task, outcome: Outcome): void {
    if (task.settled) return;
    task.settled = true;
    if (this.#running.delete(task.id)) this.#pump();
    task.resolve(outcome);
    this.#checkIdle();
  }

  #facts(task: Task): TaskFacts {
    return {
      label: task.fn.label,
      initializer: this.#initializerLabel,
      items: task.items,
      offset: task.offset,
      signal: task.signal,
      timeoutSignal: task.timeoutSignal,
      timeout: (this.#options.timeout ?? 0) * task.items.length,
      terminating: this.#terminating,
    };
  }

  async #collect(
    fn: Function,
    items: Promise<readonly (readonly unknown[])[]>,
    options: MapOptions,
  ): Promise<unknown[]> {
    const job = await this.#prepare(
      fn,
      items,
      options.chunksize,
      options.signal,
      options.onProgress,
    );
    const results = new Array<unknown>(job.total);
    return new Promise((resolve, reject) => {
      let left = job.outcomes.length;
      if (left === 0) resolve(results);
      let offset = 0;
      for (const outcome of job.outcomes) {
        const start = offset;
        outcome.then((result) => {
          if ('error' in result) {
            job.cancel(result.error);
            reject(result.error);
            return;
          }
          for (const [index, value] of result.values.entries()) results[start + index] = value;
          left -= 1;
          if (left === 0) resolve(results);
        }, reject);
        offset += chunkLength(job, offset, options.chunksize, this.size);
      }
    });
  }

  #iterate(
    fn: Function,
    iterable: Source<unknown>,
    options: MapOptions | undefined,
    ordered: boolean,
  ): AsyncIterableIterator<unknown> {
    checkFunction(fn, 'fn');
    checkSource(iterable);
    const checked = checkMapOptions(options);
    this.#checkOpen(fn);
    // Submitted now, as Python's imap does, not when iteration starts.
    const started = this.#prepare(
      fn,
      readItems(iterable, false),
      checked.chunksize,
      checked.signal,
      checked.onProgress,
    );
    started.catch(() => undefined); // reported by the first next()
    return ordered ? inOrder(started) : inCompletionOrder(started);
  }

  #checkOpen(fn: Function): void {
    if (this.#state !== 'open') {
      throw new PoolClosedError(
        `Cannot run ${describeValue(fn)}: the pool is closed (close() or terminate() was called) and accepts no new work`,
      );
    }
  }

  #whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#checkIdle();
    });
  }

  #checkIdle(): void {
    if (this.#preparing === 0 && this.#queue.length === 0 && this.#running.size === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }
}

async function* inOrder(started: Promise<Job>): AsyncGenerator<unknown> {
  const job = await started;
  try {
    for (const outcome of job.outcomes) {
      const result = await outcome;
      yield* result.values;
      if ('error' in result) throw result.error;
    }
  } finally {
    job.cancel(new PoolClosedError('The iteration ended before this task started'));
  }
}

async function* inCompletionOrder(started: Promise<Job>): AsyncGenerator<unknown> {
  const job = await started;
  const arrived: Outcome[] = [];
  let wake: (() => void) | undefined;
  const arrive = (result: Outcome): void => {
    arrived.push(result);
    wake?.();
  };
  for (const outcome of job.outcomes) {
    // An outcome rejects only when `onProgress` threw: that error ends the iteration.
    outcome.then(arrive, (error: unknown) => arrive({ values: [], error }));
  }
  try {
    for (let taken = 0; taken < job.outcomes.length; taken++) {
      if (arrived.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      const result = arrived.shift() as Outcome;
      yield* result.values;
      if ('error' in result) throw result.error;
    }
  } finally {
    job.cancel(new PoolClosedError('The iteration ended before this task started'));
  }
}

/** Python's rule: about four tasks per worker, so that few messages carry many small items. */
function autoChunksize(length: number, size: number): number {
  return Math.max(1, Math.ceil(length / (size * 4)));
}

function chunkLength(
  job: Job,
  offset: number,
  chunksize: number | undefined,
  size: number,
): number {
  const step = chunksize ?? autoChunksize(job.total, size);
  return Math.min(step, job.total - offset);
}

function checkSource(iterable: unknown): void {
  const isIterable =
    typeof iterable === 'object' &&
    iterable !== null &&
    (typeof (iterable as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
  if (!isIterable && typeof iterable !== 'string') {
    throw new TypeError(
      `Expected \`iterable\` to be an iterable or async iterable, got ${describeValue(iterable)}`,
    );
  }
}

/** Reads the whole input (as Python's `map` does), as one argument list per item. */
async function readItems(
  iterable: Source<unknown>,
  spread: boolean,
): Promise<(readonly unknown[])[]> {
  const items: (readonly unknown[])[] = [];
  const add = (item: unknown): void => {
    if (!spread) {
      items.push([item]);
    } else if (Array.isArray(item)) {
      items.push(item);
    } else {
      throw new TypeError(
        `Expected item ${items.length} of \`iterable\` to be an array of arguments, got ${describeValue(item)}`,
      );
    }
  };
  if (typeof iterable === 'object' && Symbol.asyncIterator in iterable) {
    for await (const item of iterable as AsyncIterable<unknown>) add(item);
  } else {
    for (const item of iterable as Iterable<unknown>) add(item);
  }
  return items;
}

function labelOf(ref: FunctionReference): string {
  return `\`${ref.qualname}\` (${ref.module})`;
}

/**
 * The dispatcher is the only file piscina ever loads. A worker thread needs compiled JavaScript,
 * so when this module runs from its TypeScript source (the test suite), the build's dispatcher
 * is used.
 */
function dispatcherFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../dist/pool/dispatcher.js', here)
    : new URL('./dispatcher.js', here);
  return fileURLToPath(url);
}
