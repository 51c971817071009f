/**
 * Lazy `imap` and `imapUnordered` over any iterable or async iterable that is not an array: the
 * input is read a chunk at a time, and at most `maxInFlight` items are read and not yet handed
 * to the caller (queued, running, or done and waiting to be read), so that an endless input
 * yields results and memory stays flat. An input that throws yields every result before the
 * failure, then the failure.
 *
 * Reading starts at once, as Python's `imap` submits at once, and continues as the caller reads
 * results. After `close()` the rest of the input is not read: the items already submitted are
 * yielded, then a `PoolClosedError` says where reading stopped.
 *
 * @internal
 * @packageDocumentation
 */
import { PoolClosedError } from './errors.js';
import type { Job } from './job.js';
import type { Outcome } from './outcome.js';
import { guardProgress, type OnProgress } from './task-progress.js';

/** What the lazy reader needs of its pool. */
export interface LazyPool {
  /** Queues `items` as one task, its events to `onProgress`. */
  submit(items: unknown[], onProgress: OnProgress): Promise<Job>;
  /** Whether the pool still accepts work. */
  isOpen(): boolean;
}

/** How a lazy iteration reads and yields. */
export interface LazyOptions {
  readonly chunksize: number;
  readonly maxInFlight: number;
  readonly ordered: boolean;
  readonly onProgress: OnProgress | undefined;
}

interface Chunk {
  readonly offset: number;
  readonly size: number;
  job?: Job;
  result?: Outcome;
}

/**
 * Starts reading `source` now and returns the iterator of its results.
 *
 * @param source - any iterable or async iterable
 * @param pool - where chunks are submitted
 * @param options - chunk size, bound, order and progress
 * @returns the results, in input order or as they complete
 */
export function iterateLazily(
  source: Iterable<unknown> | AsyncIterable<unknown>,
  pool: LazyPool,
  options: LazyOptions,
): AsyncIterableIterator<unknown> {
  // A whole chunk is read only when it fits under the bound: the bound is at least a chunk
  // (checkMapOptions refuses a smaller one, and the default is several chunks).
  const { chunksize, ordered, maxInFlight } = options;
  const room = (): boolean => inFlight + chunksize <= maxInFlight;
  const iterator: Iterator<unknown> | AsyncIterator<unknown> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (source as Iterable<unknown>)[Symbol.iterator]();
  const window: Chunk[] = [];
  let read = 0;
  let done = 0;
  let inFlight = 0;
  let ended = false;
  let stopped = false;
  let failure: { readonly error: unknown } | undefined;
  let filling: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  // A throwing onProgress ends the reading, drops the chunks not started and is not called again.
  const onProgress =
    options.onProgress === undefined
      ? undefined
      : guardProgress(options.onProgress, (error) => {
          failure ??= { error };
          ended = true;
          for (const chunk of window) chunk.job?.cancel(error);
        });
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };

  const submit = (items: unknown[]): void => {
    const chunk: Chunk = { offset: read, size: items.length };
    read += items.length;
    inFlight += items.length;
    window.push(chunk);
    const forward: OnProgress = (_done, _total, event) => {
      if (event !== undefined)
        onProgress?.(done, read, { ...event, item: chunk.offset + event.item });
    };
    pool
      .submit(items, forward)
      .then((job) => {
        chunk.job = job;
        return job.outcomes[0] as Promise<Outcome>;
      })
      .then(
        (outcome) => {
          try {
            for (let index = 0; index < outcome.values.length; index++) {
              done += 1;
              onProgress?.(done, read);
            }
            chunk.result = outcome;
          } catch (error) {
            chunk.result = 'error' in outcome ? outcome : { values: outcome.values, error };
          }
        },
        (error: unknown) => {
          chunk.result = { values: [], error };
        },
      )
      .finally(notify);
  };

  const fill = async (): Promise<void> => {
    while (!ended && !stopped && room()) {
      if (!pool.isOpen()) {
        failure ??= {
          error: new PoolClosedError(
            `The pool was closed while imap was reading its input: the ${read} items read before were submitted, the rest were not read`,
          ),
        };
        ended = true;
        break;
      }
      const items: unknown[] = [];
      try {
        while (items.length < chunksize) {
          const step = await iterator.next();
          if (step.done === true) {
            ended = true;
            break;
          }
          items.push(step.value);
        }
      } catch (error) {
        // Python's imap: every result before the failure first, then the failure.
        failure = { error };
        ended = true;
      }
      if (items.length > 0) submit(items);
    }
  };

  const startFill = (): void => {
    // A fill with nothing to do would wake the caller at once, for ever: never start one.
    if (filling !== undefined || ended || stopped || !room()) return;
    filling = fill().finally(() => {
      filling = undefined;
      notify();
    });
  };

  async function* results(): AsyncGenerator<unknown> {
    try {
      for (;;) {
        const chunk = ordered ? window[0] : window.find((candidate) => candidate.result);
        if (chunk?.result === undefined) {
          if (window.length === 0 && ended && filling === undefined) {
            if (failure !== undefined) throw failure.error;
            return;
          }
          startFill();
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        window.splice(window.indexOf(chunk), 1);
        const { values, error } = chunk.result;
        // An item stops counting once handed to the caller; a failed chunk's rest, at once.
        inFlight -= chunk.size - values.length;
        for (const value of values) {
          inFlight -= 1;
          startFill();
          yield value;
        }
        startFill();
        if ('error' in chunk.result) throw error;
      }
    } finally {
      stopped = true;
      const reason = new PoolClosedError('The iteration ended before this task started');
      for (const chunk of window) chunk.job?.cancel(reason);
      // Close the input as a for-of loop left early would.
      await iterator.return?.();
    }
  }

  startFill();
  return results();
}
