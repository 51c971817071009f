/**
 * A `map`-like call once queued: its tasks' outcomes in input order, and the three ways of
 * reading them (all at once in order, one by one in order, one by one as they complete).
 *
 * @internal
 * @packageDocumentation
 */
import { PoolClosedError } from './errors.js';
import type { Outcome } from './outcome.js';

/** The tasks of one call, in input order, and a way to drop the ones not started. */
export interface Job {
  readonly outcomes: readonly Promise<Outcome>[];
  /** Where each task's first item sits in the input. */
  readonly offsets: readonly number[];
  readonly total: number;
  cancel(reason: unknown): void;
}

/**
 * The largest automatic chunk. Measured on `map` of trivial items over two workers (see
 * docs/performance.md): at 1,000,000 items, chunks of 4,096-16,384 items took about half the
 * time per item of Python's 125,000, since a worker then waits for one small batch at the start
 * and idles through at most one small batch at the end, and the batches die young.
 */
export const MAX_AUTO_CHUNKSIZE = 16_384;

/**
 * The smallest automatic chunk while a worker can be given more than two. Every task is a
 * hand-off through the main thread, which on a machine whose cores are all taken by the workers
 * waits for a core each time: measured on `map` of trivial items over two workers (see
 * docs/performance.md), a task cost 150-250 us beyond its items, so at 10,000 items eight tasks
 * of 1,250 took 1.2-1.4x the time of four of 2,500.
 */
export const MIN_AUTO_CHUNKSIZE = 2_048;

/**
 * Python's rule, about four tasks per worker, so that few messages carry many small items; but
 * fewer per worker, down to two, while four would make chunks smaller than
 * {@link MIN_AUTO_CHUNKSIZE} (two, not one, so that a worker that finishes first still takes
 * work from a slower one), and no chunk larger than {@link MAX_AUTO_CHUNKSIZE}.
 */
export function autoChunksize(length: number, size: number): number {
  const perWorker = Math.max(2, Math.min(4, Math.floor(length / (size * MIN_AUTO_CHUNKSIZE))));
  return Math.max(1, Math.min(MAX_AUTO_CHUNKSIZE, Math.ceil(length / (size * perWorker))));
}

/**
 * All results in input order. The first failure to arrive rejects at once and drops the tasks
 * not yet started; the running ones finish, unread.
 */
export function collect(job: Job): Promise<unknown[]> {
  const results = new Array<unknown>(job.total);
  return new Promise((resolve, reject) => {
    let left = job.outcomes.length;
    if (left === 0) resolve(results);
    job.outcomes.forEach((outcome, task) => {
      const start = job.offsets[task] as number;
      outcome.then((result) => {
        if ('error' in result) {
          job.cancel(result.error);
          reject(result.error);
          return;
        }
        const { values } = result;
        for (let index = 0; index < values.length; index++) results[start + index] = values[index];
        left -= 1;
        if (left === 0) resolve(results);
      }, reject);
    });
  });
}

/** Each result in input order; a failure is thrown after the results before it. */
export async function* inOrder(started: Promise<Job>): AsyncGenerator<unknown> {
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

/** Each result as soon as its task completes, each exactly once. */
export async function* inCompletionOrder(started: Promise<Job>): AsyncGenerator<unknown> {
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
