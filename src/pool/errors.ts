/**
 * The errors of `selfsame/pool`: each names the function by qualname and module, and carries a
 * stable `code` distinct from every other fault, so that a caller can tell an exit from an
 * out-of-memory from a timeout without reading messages.
 *
 * @packageDocumentation
 */
import { SelfsameError } from '../errors.js';

/**
 * The pool was closed or terminated: new work is refused, and work still queued or running when
 * it was terminated is rejected with this error.
 *
 * @example
 * ```ts
 * await pool.close();
 * await pool.apply(task, [1]); // rejects: PoolClosedError, code ERR_SELFSAME_POOL_CLOSED
 * ```
 */
export class PoolClosedError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_POOL_CLOSED', message);
  }
}

/**
 * A task failed in a way that is not an ordinary `throw` from the task: it threw a value that is
 * not an `Error`, or it raised an uncaught exception or an unhandled rejection asynchronously.
 * The original value travels as `cause`.
 *
 * @example
 * ```ts
 * try { await pool.apply(task, []); } catch (error) {
 *   if (error instanceof TaskFailedError) console.error(error.cause);
 * }
 * ```
 */
export class TaskFailedError extends SelfsameError {
  /** @param message - the full message @param options - `cause`: what the task threw */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_TASK_FAILED', message, options);
  }
}

/**
 * The worker running the task exited (for example the task called `process.exit`). Only the
 * tasks running on that worker are rejected; the pool replaces the worker.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof WorkerExitError) console.error(error.exitCode); }
 * ```
 */
export class WorkerExitError extends SelfsameError {
  /** The worker's exit code. */
  readonly exitCode: number;
  /** @param message - the full message @param exitCode - the worker's exit code @param options - `cause` */
  constructor(message: string, exitCode: number, options?: ErrorOptions) {
    super('ERR_SELFSAME_WORKER_EXIT', message, options);
    this.exitCode = exitCode;
  }
}

/**
 * The worker running the task ran out of memory (its `resourceLimits` were reached). Only the
 * tasks running on that worker are rejected; the pool replaces the worker.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof WorkerOutOfMemoryError) retryWithSmallerInput(); }
 * ```
 */
export class WorkerOutOfMemoryError extends SelfsameError {
  /** @param message - the full message @param options - `cause`: Node's own error */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_WORKER_OUT_OF_MEMORY', message, options);
  }
}

/**
 * The task ran longer than the pool's `timeout`. The worker running it is stopped and replaced.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof TaskTimeoutError) console.error(error.timeout); }
 * ```
 */
export class TaskTimeoutError extends SelfsameError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeout: number;
  /** @param message - the full message @param timeout - the limit in milliseconds */
  constructor(message: string, timeout: number) {
    super('ERR_SELFSAME_TASK_TIMEOUT', message);
    this.timeout = timeout;
  }
}

/**
 * The caller's `AbortSignal` aborted the task. A running task's worker is stopped and replaced;
 * a queued task never starts. The signal's reason travels as `cause`.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const running = pool.apply(task, [], { signal: controller.signal });
 * controller.abort(); // running rejects: TaskAbortedError
 * ```
 */
export class TaskAbortedError extends SelfsameError {
  /** @param message - the full message @param options - `cause`: the signal's reason */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_TASK_ABORTED', message, options);
  }
}

/**
 * Arguments or a result could not be sent between threads by structured clone (a function, a
 * symbol, a `Promise`, a `WeakMap`...). Node's `DataCloneError` travels as `cause`.
 *
 * @example
 * ```ts
 * await pool.apply(task, [() => 1]); // rejects: UncloneableError naming `task` and the value
 * ```
 */
export class UncloneableError extends SelfsameError {
  /** @param message - the full message @param options - `cause`: the clone failure */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_UNCLONEABLE', message, options);
  }
}

/**
 * A worker cannot run tasks: the pool's `initializer` failed in it (it threw, or its reference
 * did not resolve), and every task sent to that worker fails fast with this error; or the
 * pool's worker threads cannot start at all (a `--import` preload that throws in a worker,
 * `resourceLimits` too small to boot), and every queued and later call fails at once with it.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof WorkerInitError) console.error(error.cause); }
 * ```
 */
export class WorkerInitError extends SelfsameError {
  /** @param message - the full message @param options - `cause`: what the initializer threw */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_WORKER_INIT', message, options);
  }
}

/**
 * A `Pool` was constructed in a worker thread of another pool while that worker was importing
 * the module of a task's function: the module starts work when it is imported (a script that
 * calls `main()` without `if (isMainModule(import.meta))`), which every worker would repeat.
 * The task whose import it was rejects with this error.
 *
 * @example
 * ```ts
 * // main.ts, imported by each worker to find `countLorem`:
 * if (isMainModule(import.meta)) main(); // without the guard: UnguardedModuleError
 * ```
 */
export class UnguardedModuleError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_UNGUARDED_MODULE', message);
  }
}

/**
 * Emitted as a process warning (never thrown) when a worker thread stopped with work its tasks
 * had left scheduled still pending (a timer, a file being written): at `close()` after
 * `closeTimeout`, or when a worker retires. `pending` lists Node's names for what was open.
 *
 * @example
 * ```ts
 * process.on('warning', (warning) => {
 *   if (warning instanceof WorkDroppedError) console.error(warning.pending); // ['Timeout']
 * });
 * ```
 */
export class WorkDroppedError extends SelfsameError {
  /**
   * Node's names of the resources still open, one per resource (`Timeout`, `FSReqCallback`), or
   * a description when the worker could not say (its initializer still running, or a thread too
   * busy to answer).
   */
  readonly pending: readonly string[];
  /** @param message - the full message @param pending - what was still open */
  constructor(message: string, pending: readonly string[]) {
    super('ERR_SELFSAME_WORK_DROPPED', message);
    this.pending = pending;
  }
}
