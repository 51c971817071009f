/**
 * The settled mode of `map` and `starmap` (`Pool.mapSettled`, `Pool.starmapSettled`): every item
 * runs whatever the others do, and each item's outcome comes back in input order, in the shape
 * of `Promise.allSettled`.
 *
 * A task stops at its first failing item, so the items after it in the same chunk are sent again
 * as a task of their own: nothing is skipped, and an item that completed is never run twice
 * after an ordinary `throw`. A fault that takes a whole task of several items with it (the
 * worker exits, runs out of memory or times out) cannot be pinned on one item: those items run
 * again one task each, so that the fault becomes the outcome of the item that caused it. A
 * failure that every task would meet (the workers cannot start, the initializer failed, the pool
 * was terminated) is the outcome of every item left, none sent again.
 *
 * When `onProgress` throws, the work not yet started is dropped, no item is sent again, it is
 * never called again, and the call rejects with its error once the tasks running have settled.
 *
 * @internal
 * @packageDocumentation
 */
import {
  PoolClosedError,
  TaskTimeoutError,
  WorkerExitError,
  WorkerInitError,
  WorkerOutOfMemoryError,
} from './errors.js';
import type { Job } from './job.js';
import type { Outcome } from './outcome.js';
import { guardProgress, type OnProgress } from './task-progress.js';

/**
 * Queues the items `start` to `end` (exclusive) of the input, `chunksize` per task (the pool's
 * default when `undefined`), their tasks' progress going to `onProgress`.
 */
export type RunRange = (
  start: number,
  end: number,
  chunksize: number | undefined,
  onProgress: OnProgress,
) => Promise<Job>;

/**
 * Runs every item of the input, re-running the rest of a chunk after a failure.
 *
 * @param total - how many items the input has
 * @param chunksize - the caller's chunk size, if any
 * @param run - queues a range of the input
 * @param onProgress - called once per item settled, fulfilled or rejected, and per task event
 * @returns one settled result per item, in input order
 */
export async function settleJob(
  total: number,
  chunksize: number | undefined,
  run: RunRange,
  onProgress: OnProgress | undefined,
): Promise<PromiseSettledResult<unknown>[]> {
  const results = new Array<PromiseSettledResult<unknown>>(total);
  let done = 0;
  let failure: { readonly error: unknown } | undefined;
  const jobs: Job[] = [];
  const progress =
    onProgress === undefined
      ? undefined
      : guardProgress(onProgress, (error) => {
          failure = { error };
          for (const job of jobs) job.cancel(error);
        });
  const record = (index: number, result: PromiseSettledResult<unknown>): void => {
    results[index] = result;
    done += 1;
    try {
      progress?.(done, total);
    } catch {
      // Kept in `failure`: the call rejects with it once the running tasks have settled.
    }
  };
  // Items are counted here, failures included; only the tasks' own events pass through.
  const runRange = async (start: number, end: number, size: number | undefined): Promise<Job> => {
    const job = await run(start, end, size, (_done, _total, event) => {
      if (event !== undefined) progress?.(done, total, { ...event, item: start + event.item });
    });
    jobs.push(job);
    if (failure !== undefined) job.cancel(failure.error);
    return job;
  };
  const settleRange = async (
    outcome: Promise<Outcome>,
    start: number,
    end: number,
  ): Promise<void> => {
    const { values, error } = await outcome;
    for (const [index, value] of values.entries()) {
      record(start + index, { status: 'fulfilled', value });
    }
    const failed = start + values.length;
    if (failed >= end || failure !== undefined) return;
    if (endsEverything(error)) {
      for (let index = failed; index < end; index++)
        record(index, { status: 'rejected', reason: error });
      return;
    }
    const whole = values.length === 0 && end - start > 1 && isWorkerFault(error);
    if (!whole) record(failed, { status: 'rejected', reason: error });
    const from = whole ? failed : failed + 1;
    if (from >= end) return;
    let again: Job;
    try {
      again = await runRange(from, end, whole ? 1 : end - from);
    } catch (reason) {
      // The pool was terminated meanwhile: every item left gets that reason.
      for (let index = from; index < end; index++) record(index, { status: 'rejected', reason });
      return;
    }
    await Promise.all(
      again.outcomes.map((next, task) =>
        settleRange(
          next,
          from + (again.offsets[task] as number),
          from + (again.offsets[task + 1] ?? again.total),
        ),
      ),
    );
  };
  const job = await runRange(0, total, chunksize);
  await Promise.all(
    job.outcomes.map((outcome, task) =>
      settleRange(outcome, job.offsets[task] as number, job.offsets[task + 1] ?? job.total),
    ),
  );
  if (failure !== undefined) throw failure.error;
  return results;
}

/** A failure every task of the pool would meet: sending the rest again would only repeat it. */
function endsEverything(error: unknown): boolean {
  return error instanceof WorkerInitError || error instanceof PoolClosedError;
}

/** A fault of the worker rather than of one item: it takes every item of its task with it. */
function isWorkerFault(error: unknown): boolean {
  return (
    error instanceof WorkerExitError ||
    error instanceof WorkerOutOfMemoryError ||
    error instanceof TaskTimeoutError
  );
}
