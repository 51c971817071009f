/**
 * A pool of worker threads that runs functions by reference, modelled on Python's
 * `multiprocessing.Pool`, on top of piscina.
 *
 * @packageDocumentation
 */
import { checkFunction } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { PoolClosedError } from './errors.js';
import { checkSource, readItems, type Source } from './input.js';
import { autoChunksize, collect, inCompletionOrder, inOrder, type Job } from './job.js';
import { type LoaderSetup, resolveLoader, workerExecArgv } from './loader.js';
import {
  type ApplyOptions,
  checkApplyOptions,
  checkMapOptions,
  type MapOptions,
  type PoolOptions,
  type ResolvedPoolOptions,
  resolvePoolOptions,
} from './options.js';
import type { Outcome } from './outcome.js';
import type { WorkerSetup } from './protocol.js';
import { TaskRecorder } from './records.js';
import { type FunctionReference, type ReferenceOptions, toReference } from './reference.js';
import { type Sendable, type Task, TaskRunner } from './runner.js';

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
 *   const text = ' Lorem ipsum dolor sit amet, consectetur Lorem adipiscing Lorem elit ';
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
  readonly #engine: Promise<TaskRunner>;
  #runner: TaskRunner | undefined;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #closing: Promise<void> | undefined;
  #preparing = 0;
  #admission: Promise<void> = Promise.resolve();
  #idleWaiters: (() => void)[] = [];
  readonly #references = new WeakMap<Function, Promise<Sendable>>();
  readonly #known = new WeakMap<Function, Sendable>();
  readonly #loader: LoaderSetup | undefined;

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
    this.#loader = resolveLoader(this.#options.loader);
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
    const runner = this.#runner;
    if (known !== undefined && runner !== undefined && this.#preparing === 0) {
      // The fast path of a round trip: reference made and workers started, nothing to await.
      pending = runner.submit(known, [args], true, 0, signal).outcome;
      runner.pump();
    } else {
      pending = this.#prepare(fn, [args], true, 1, signal).then(
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
    const checked = this.#checkMap(fn, iterable, options);
    return this.#collect(fn, readItems(iterable, false), false, checked) as Promise<Awaited<R>[]>;
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
    const checked = this.#checkMap(fn, iterable, options);
    return this.#collect(fn, readItems(iterable, true), true, checked) as Promise<Awaited<R>[]>;
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
      await this.#runner?.close();
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
    const runner = await this.#engine.catch(() => undefined);
    await runner?.terminate();
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

  async #start(): Promise<TaskRunner> {
    const { initializer, initargs, maxTasksPerWorker, size, timeout, resourceLimits, onRecord } =
      this.#options;
    const recorder = onRecord === undefined ? undefined : new TaskRecorder(onRecord);
    const initializerRef =
      initializer === undefined ? undefined : await this.#reference(initializer);
    this.#runner = new TaskRunner({
      size,
      timeout,
      resourceLimits,
      initializerLabel: initializerRef?.label,
      setup: {
        policy: this.#policy as WorkerSetup['policy'],
        initializer: initializerRef?.wire,
        initargs,
        maxTasksPerWorker,
        ...(recorder === undefined ? {} : { records: recorder.flowBase }),
        ...(this.#loader === undefined ? {} : { loader: this.#loader }),
      },
      execArgv: this.#loader === undefined ? undefined : workerExecArgv(),
      onSettle: () => this.#checkIdle(),
      recorder,
    });
    return this.#runner;
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
    items: readonly unknown[] | Promise<readonly unknown[]>,
    spread: boolean,
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
      const [ref, list, runner] = await Promise.all([this.#reference(fn), items, this.#engine]);
      await previous;
      if (this.#state === 'closed') {
        throw new PoolClosedError(`Cannot run ${ref.label}: the pool was terminated`);
      }
      const size = chunksize ?? autoChunksize(list.length, this.size);
      const outcomes: Promise<Outcome>[] = [];
      const offsets: number[] = [];
      const tasks: Task[] = [];
      let done = 0;
      for (let offset = 0; offset < list.length; offset += size) {
        const { task, outcome } = runner.submit(
          ref,
          list.slice(offset, offset + size),
          spread,
          offset,
          signal,
        );
        tasks.push(task);
        offsets.push(offset);
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
      runner.pump();
      return {
        outcomes,
        offsets,
        total: list.length,
        cancel: (reason) => {
          for (const task of tasks) runner.cancel(task, reason);
        },
      };
    } finally {
      admitted();
      this.#preparing -= 1;
      this.#checkIdle();
    }
  }

  async #collect(
    fn: Function,
    items: Promise<readonly unknown[]>,
    spread: boolean,
    options: MapOptions,
  ): Promise<unknown[]> {
    const job = await this.#prepare(
      fn,
      items,
      spread,
      options.chunksize,
      options.signal,
      options.onProgress,
    );
    return collect(job);
  }

  #iterate(
    fn: Function,
    iterable: Source<unknown>,
    options: MapOptions | undefined,
    ordered: boolean,
  ): AsyncIterableIterator<unknown> {
    const checked = this.#checkMap(fn, iterable, options);
    // Submitted now, as Python's imap does, not when iteration starts.
    const started = this.#prepare(
      fn,
      readItems(iterable, false),
      false,
      checked.chunksize,
      checked.signal,
      checked.onProgress,
    );
    started.catch(() => undefined); // reported by the first next()
    return ordered ? inOrder(started) : inCompletionOrder(started);
  }

  /** The checks every map-like call starts with, in the order their errors are reported. */
  #checkMap(fn: unknown, iterable: unknown, options: unknown): MapOptions {
    checkFunction(fn, 'fn');
    checkSource(iterable);
    const checked = checkMapOptions(options);
    this.#checkOpen(fn);
    return checked;
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
    if (this.#preparing === 0 && (this.#runner?.idle ?? true)) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }
}

function labelOf(ref: FunctionReference): string {
  return `\`${ref.qualname}\` (${ref.module})`;
}
