/**
 * What a task sees of the call it runs for: {@link taskContext} gives the running item its
 * cancellation signal and a way to report progress to the caller.
 *
 * Why an accessor rather than an extra argument: the function runs unchanged in a worker and on
 * the main thread (its arguments are the caller's, nothing is appended), a decorator between
 * the pool and the function never sees an argument it does not know, and code that does not
 * ask pays nothing. The context lives in a slot on `globalThis` under
 * `Symbol.for('selfsame.pool.task')`, so that a task module that resolved another copy of
 * selfsame still finds the dispatcher's context.
 *
 * @packageDocumentation
 */
import { SelfsameError } from '../errors.js';

/**
 * The running item's view of its call, from {@link taskContext}.
 *
 * @example
 * ```ts
 * const { signal, progress } = taskContext();
 * ```
 */
export interface TaskContext {
  /**
   * Aborts when the caller's `signal` aborts, with the caller's reason, while the pool's
   * `abortGracePeriod` lets the task stop by itself; the same signal for every item of a task.
   * It never aborts when the pool has no grace period (the worker is replaced at once).
   */
  readonly signal: AbortSignal;
  /**
   * Sends `data` (by structured clone) to the caller's `onProgress`, as its third argument
   * `{ item, data }`, where `item` is this item's position in the caller's input. Events arrive
   * in the order they were sent, all before the call settles.
   *
   * @throws `DataCloneError` when `data` cannot be structured-cloned; {@link NotInTaskError}
   *   when its task has ended
   */
  progress(data: unknown): void;
}

/** The key of the slot where the dispatcher publishes the running item's context. */
export const TASK_CONTEXT_SLOT = Symbol.for('selfsame.pool.task');

/** What the dispatcher keeps in the slot: the context of the item it runs now, if any. */
export interface TaskContextSlot {
  current(): TaskContext | undefined;
}

/**
 * Outside a task run by a pool, {@link taskContext} has nothing to return.
 *
 * @example
 * ```ts
 * taskContext(); // on the main thread: NotInTaskError, code ERR_SELFSAME_NOT_IN_TASK
 * ```
 */
export class NotInTaskError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_NOT_IN_TASK', message);
  }
}

/**
 * The context of the item now running in this worker thread: its cancellation signal and a
 * progress channel to the caller. Call it in the task's synchronous part (before its first
 * `await`), and keep what it returns: a worker runs one item at a time, so after an `await`
 * the running item may be another one only in code the task left behind (a timer).
 *
 * @returns the running item's {@link TaskContext}
 * @throws {@link NotInTaskError} when no pool task is running in this thread
 * @example
 * ```ts
 * export async function crawl(url: string): Promise<number> {
 *   const { signal, progress } = taskContext();
 *   const response = await fetch(url, { signal });
 *   progress({ status: response.status });
 *   return (await response.text()).length;
 * }
 * ```
 */
export function taskContext(): TaskContext {
  const slot = (globalThis as { [TASK_CONTEXT_SLOT]?: TaskContextSlot })[TASK_CONTEXT_SLOT];
  const context = slot?.current();
  if (context === undefined) {
    throw new NotInTaskError(
      'taskContext() was called outside a task: only a function run by a Pool, while it runs in its worker thread, has a task context',
    );
  }
  return context;
}
