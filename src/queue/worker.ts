/**
 * What every binding's worker is: the engine's own worker, and a graceful `close()`.
 */

/** A running worker of one queue. */
export interface QueueWorker<EngineWorker = unknown> {
  /** The queue's name. */
  readonly queue: string;
  /**
   * The engine's own worker, for its events and controls: BullMQ's `Worker`; for pg-boss, the
   * id `boss.work()` returned.
   */
  readonly engine: EngineWorker;
  /**
   * Stops taking jobs and waits for the jobs in hand to finish and their outcomes to be stored.
   * Each job is bounded by the engine's own limit (pg-boss `expireInSeconds`, BullMQ's lock
   * and stall checks): one that outlives it is released to the engine, which retries it.
   */
  close(): Promise<void>;
}

/** Counts the jobs in hand so that `close()` can wait for the last of them. */
export class InHand {
  #count = 0;
  #idle: (() => void)[] = [];

  /** Runs `work` as a job in hand. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.#count++;
    try {
      return await work();
    } finally {
      this.#count--;
      if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Resolves once no job is in hand. */
  drained(): Promise<void> {
    return this.#count === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.#idle.push(resolve));
  }
}
