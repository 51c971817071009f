/**
 * A pool of worker threads that runs functions by reference, modelled on Python's
 * `multiprocessing.Pool`, on top of piscina.
 *
 * @packageDocumentation
 */

import { NotReferenceableError } from '../errors.js';
import { checkFunction } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { PoolClosedError } from './errors.js';
import { refuseWhileImporting } from './import-guard.js';
import { checkSource, readItems, type Source } from './input.js';
import { autoChunksize, collect, inCompletionOrder, inOrder, type Job } from './job.js';
import { iterateLazily } from './lazy.js';
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
import { type RunnerTask, type Sendable, TaskRunner } from './runner.js';
import { settleJob } from './settled.js';
import { CallProgress, type OnProgress } from './task-progress.js';

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
   * @throws TypeError or RangeError when an option is malformed, naming it and what was received;
   *   {@link UnguardedModuleError} when constructed in a worker thread of another pool while that
   *   worker imports a task's module (the module lacks its `if (isMainModule(import.meta))` guard)
   * @example
   * ```ts
   * const pool = new Pool({ size: 2, initializer: setUp, initargs: ['verbose'], timeout: 5_000 });
   * ```
   */
  constructor(options?: PoolOptions) {
    refuseWhileImporting();
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
  apply<A extends unknown[], R>(
    fn: (...args: A) => R,
    args: A,
    options?: ApplyOptions,
  ): Promise<Awaited<R>> {
    // Not an async function: the common call returns the runner's own promise, one promise
    // step shorter (a round trip is a few dozen microseconds); errors still reject, never throw.
    try {
      checkFunction(fn, 'fn');
      if (!Array.isArray(args)) {
        throw new TypeError(`Expected \`args\` to be an array, got ${describeValue(args)}`);
      }
      const { signal, onProgress } = options === undefined ? {} : checkApplyOptions(options);
      this.#checkOpen(fn);
      const known = this.#known.get(fn);
      const runner = this.#runner;
      if (known !== undefined && runner !== undefined && this.#preparing === 0) {
        // The fast path of a round trip: reference made and workers started, nothing to await.
        if (onProgress === undefined)
          return runner.call(known, args, signal) as Promise<Awaited<R>>;
        const counted = new CallProgress(onProgress, 1).forTask(0);
        const { outcome } = runner.submit(known, [args], true, 0, signal, counted.hooks);
        runner.pump();
        return callValue(outcome.then(counted.finish)) as Promise<Awaited<R>>;
      }
      return callValue(
        this.#prepare(fn, [args], true, 1, signal, onProgress).then(
          (job) => job.outcomes[0] as Promise<Outcome>,
        ),
      ) as Promise<Awaited<R>>;
    } catch (error) {
      return Promise.reject(error);
    }
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
   * Like {@link Pool.map}, but every item runs whatever the others do, and each item's outcome
   * comes back in input order in the shape of `Promise.allSettled`: the settled mode beside
   * `map`'s fail-fast. After an item fails, the rest of its chunk is sent again as a task of its
   * own; a fault that takes a whole task (exit, timeout) is the outcome of its first unfinished
   * item.
   *
   * @param fn - a referenceable function of one argument
   * @param iterable - the items (read in full first), sync or async
   * @param options - see {@link MapOptions}; `onProgress` is called once per item settled
   * @returns one `{ status: 'fulfilled', value }` or `{ status: 'rejected', reason }` per item,
   *   in input order; it rejects only when the input cannot be read or `onProgress` throws
   * @throws TypeError or {@link PoolClosedError} at once, as {@link Pool.map}
   * @example
   * ```ts
   * const outcomes = await pool.mapSettled(parse, files);
   * const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
   * ```
   */
  async mapSettled<A, R>(
    fn: (arg: A) => R,
    iterable: Source<A>,
    options?: MapOptions,
  ): Promise<PromiseSettledResult<Awaited<R>>[]> {
    const checked = this.#checkMap(fn, iterable, options);
    return this.#settleAll(fn, readItems(iterable, false), false, checked) as Promise<
      PromiseSettledResult<Awaited<R>>[]
    >;
  }

  /**
   * Like {@link Pool.starmap}, in the settled mode of {@link Pool.mapSettled}.
   *
   * @param fn - a referenceable function
   * @param iterable - argument lists (arrays), sync or async
   * @param options - see {@link MapOptions}
   * @returns one settled result per argument list, in input order
   * @throws TypeError or {@link PoolClosedError} at once, as {@link Pool.starmap}
   * @example
   * ```ts
   * await pool.starmapSettled(divide, [[1, 2], [1, 0]]);
   * // [{ status: 'fulfilled', value: 0.5 }, { status: 'rejected', reason: RangeError }]
   * ```
   */
  async starmapSettled<A extends unknown[], R>(
    fn: (...args: A) => R,
    iterable: Source<A>,
    options?: MapOptions,
  ): Promise<PromiseSettledResult<Awaited<R>>[]> {
    const checked = this.#checkMap(fn, iterable, options);
    return this.#settleAll(fn, readItems(iterable, true), true, checked) as Promise<
      PromiseSettledResult<Awaited<R>>[]
    >;
  }

  /**
   * Like {@link Pool.map}, yielding each result in input order as soon as it and all before it
   * are done. An array is submitted at once; any other iterable or async iterable is read
   * lazily, `chunksize` items at a time (default 1, as Python's), never more than `maxInFlight`
   * items ahead of the caller (default `size * 4 * chunksize`; at least `chunksize`, since a
   * chunk is read whole), so an endless input works in
   * flat memory. Leaving the loop early drops the tasks not started and closes the input.
   *
   * @param fn - a referenceable function of one argument
   * @param iterable - the items, sync or async
   * @param options - see {@link MapOptions}
   * @returns an async iterable of the results, in input order
   * @throws TypeError or {@link PoolClosedError} at once; task failures, and a failure of a
   *   lazily read input, when iteration reaches them, after the results before them
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
   * (Python's `close()` followed by `join()`). Before a worker stops, its initializer finishes
   * and the work its tasks left scheduled (timers, I/O) gets `closeTimeout` milliseconds to run;
   * what is still pending then is dropped and reported as a {@link WorkDroppedError} warning.
   * So `close()` takes as long as the submitted work, plus at most `closeTimeout` and one second,
   * plus the time Node takes to stop the threads.
   *
   * @returns a promise that resolves once every worker thread has exited
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
      // The workers may still be starting (the initializer's reference is being made): they
      // are stopped once started, never left running.
      const runner = await this.#engine.catch(() => undefined);
      await runner?.close(this.#options.closeTimeout);
    });
    return this.#closing;
  }

  /**
   * Stops the workers now: queued and running work rejects with {@link PoolClosedError}, and
   * whatever the tasks left scheduled is dropped. Node stops a thread's JavaScript at once, even
   * in an endless loop.
   *
   * @returns a promise that resolves once every worker thread has exited
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
    const {
      initializer,
      initargs,
      maxTasksPerWorker,
      size,
      timeout,
      resourceLimits,
      closeTimeout,
      abortGracePeriod,
      onRecord,
    } = this.#options;
    const recorder = onRecord === undefined ? undefined : new TaskRecorder(onRecord);
    const initializerRef =
      initializer === undefined ? undefined : await this.#reference(initializer);
    this.#runner = new TaskRunner({
      size,
      timeout,
      resourceLimits,
      abortGracePeriod,
      initializerLabel: initializerRef?.label,
      setup: {
        policy: this.#policy as WorkerSetup['policy'],
        initializer: initializerRef?.wire,
        initargs,
        maxTasksPerWorker,
        closeTimeout,
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
      found = toReference(fn, this.#policy).then(
        (ref) => ({ wire: JSON.stringify(ref), label: labelOf(ref) }),
        (error: unknown) => {
          throw this.#options.root === undefined ? suggestRoot(error, this.#policy) : error;
        },
      );
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
    onProgress?: OnProgress,
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
      const tasks: RunnerTask[] = [];
      const cancel = (reason: unknown): void => {
        for (const task of tasks) runner.cancel(task, reason);
      };
      const progress =
        onProgress === undefined ? undefined : new CallProgress(onProgress, list.length, cancel);
      for (let offset = 0; offset < list.length; offset += size) {
        const counted = progress?.forTask(offset);
        const { task, outcome } = runner.submit(
          ref,
          list.slice(offset, offset + size),
          spread,
          offset,
          signal,
          counted?.hooks,
        );
        tasks.push(task);
        offsets.push(offset);
        outcomes.push(counted === undefined ? outcome : outcome.then(counted.finish));
      }
      runner.pump();
      return { outcomes, offsets, total: list.length, cancel };
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

  async #settleAll(
    fn: Function,
    items: Promise<readonly unknown[]>,
    spread: boolean,
    options: MapOptions,
  ): Promise<PromiseSettledResult<unknown>[]> {
    // Counted as work in preparation until the last item settles, so that close() waits for the
    // items sent again after a failure.
    this.#preparing += 1;
    try {
      const list = await items;
      return await settleJob(
        list.length,
        options.chunksize,
        (start, end, size, onProgress) =>
          this.#prepare(fn, list.slice(start, end), spread, size, options.signal, onProgress),
        options.onProgress,
      );
    } finally {
      this.#preparing -= 1;
      this.#checkIdle();
    }
  }

  #iterate(
    fn: Function,
    iterable: Source<unknown>,
    options: MapOptions | undefined,
    ordered: boolean,
  ): AsyncIterableIterator<unknown> {
    const checked = this.#checkMap(fn, iterable, options);
    if (!Array.isArray(iterable)) {
      // Any other input is read lazily, a bounded number of items ahead (lazy.ts).
      const chunksize = checked.chunksize ?? 1;
      return iterateLazily(
        iterable,
        {
          submit: (items, onProgress) =>
            this.#prepare(fn, items, false, items.length, checked.signal, onProgress),
          isOpen: () => this.#state === 'open',
        },
        {
          chunksize,
          maxInFlight: checked.maxInFlight ?? this.size * 4 * chunksize,
          ordered,
          onProgress: checked.onProgress,
        },
      );
    }
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
    // Called as every task settles: without a waiter (no close() pending), nothing to check.
    if (this.#idleWaiters.length === 0) return;
    if (this.#preparing === 0 && (this.#runner?.idle ?? true)) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }
}

/** The value of a one-call outcome, or its error thrown. */
async function callValue(pending: Promise<Outcome>): Promise<unknown> {
  const outcome = await pending;
  if ('error' in outcome) throw outcome.error;
  return outcome.values[0];
}

function labelOf(ref: FunctionReference): string {
  return `\`${ref.qualname}\` (${ref.module})`;
}

/**
 * A function outside the default root is most often a script started from another directory
 * (`cd /tmp && node ~/app/main.js`): the refusal then also says how to pin the root.
 */
function suggestRoot(error: unknown, policy: ReferenceOptions): unknown {
  if (
    !(error instanceof NotReferenceableError) ||
    !error.message.includes('lies neither under the root')
  ) {
    return error;
  }
  return new NotReferenceableError(
    `${error.message}. The pool's \`root\` defaults to the working directory (\`${String(policy.root)}\`): pass the directory of your modules, for example \`new Pool({ root: import.meta.dirname })\``,
    { cause: error },
  );
}
