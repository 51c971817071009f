/**
 * Cooperative cancellation, the pool's side. With an `abortGracePeriod`, aborting a running
 * task first tells its worker (on a `BroadcastChannel` that all the pool's workers listen to),
 * whose `taskContext().signal` then aborts with the caller's reason; only if the task has not
 * settled when the grace period ends is its worker stopped and replaced, as without a grace
 * period. Either way the call rejects with `TaskAbortedError`, whose message says which.
 *
 * A broadcast rather than a port per task: a channel costs nothing until a task is aborted,
 * while a `MessageChannel` per task would cost every task a port pair and a transfer. A
 * broadcast reaches only the channels open when it is sent, and a worker opens its channel when
 * its dispatcher loads: an abort sent before that would be lost. So the pool also marks the
 * task in a shared ring of flags ({@link CANCEL_SLOTS} ids), which a worker reads as each task
 * starts.
 *
 * @internal
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { carry } from './envelope.js';
import { TaskAbortedError } from './errors.js';
import type { Outcome } from './outcome.js';
import type { CancelMessage } from './protocol.js';

/** How many task ids the shared ring of cancel flags holds. */
export const CANCEL_SLOTS = 1024;

/** What cancellation needs to know of a task. */
export interface Cancelable {
  readonly id: number;
  readonly signal: AbortSignal | undefined;
  readonly fn: { readonly label: string };
}

/** The cancellations of one pool's running tasks. */
export class Cancellation {
  /** The channel's name, for the workers; `undefined` when there is no grace period. */
  readonly channelName: string | undefined;
  /** The ring of cancelled task ids (slot `id % CANCEL_SLOTS`), shared with the workers. */
  readonly flags: Int32Array | undefined;
  readonly #grace: number;
  #channel: BroadcastChannel | undefined;
  /** Per running task its caller aborted: the grace period's timer, and whether it ran out. */
  readonly #watched = new Map<
    number,
    { timer: ReturnType<typeof setTimeout> | undefined; escalated: boolean }
  >();

  constructor(grace: number) {
    this.#grace = grace;
    this.channelName = grace > 0 ? `selfsame.pool.cancel.${randomUUID()}` : undefined;
    this.flags = grace > 0 ? new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS)) : undefined;
  }

  /**
   * The caller's `signal` aborted the running `task`: without a grace period, `stop` stops its
   * worker at once; with one, the task is told first (its `taskContext().signal` aborts), and
   * `stop` runs only if it has not settled when the grace period ends.
   */
  abort(task: Cancelable, signal: AbortSignal, stop: () => void): void {
    if (this.channelName === undefined) {
      stop();
      return;
    }
    if (this.#watched.has(task.id)) return;
    const watch = {
      timer: undefined as ReturnType<typeof setTimeout> | undefined,
      escalated: false,
    };
    this.#watched.set(task.id, watch);
    if (this.flags !== undefined) Atomics.store(this.flags, task.id % CANCEL_SLOTS, task.id);
    this.#post({ cancel: task.id, reason: carry(signal.reason) });
    watch.timer = setTimeout(() => {
      watch.escalated = true;
      stop();
    }, this.#grace);
  }

  /**
   * A task settled: stops watching it and, when its caller aborted it during its grace period,
   * makes its outcome a `TaskAbortedError` that says how it ended (its completed values stay).
   */
  settle(task: Cancelable, outcome: Outcome): Outcome {
    const watch = this.#watched.get(task.id);
    if (watch === undefined) return outcome;
    clearTimeout(watch.timer);
    this.#watched.delete(task.id);
    const { signal } = task;
    if (signal?.aborted !== true) return outcome;
    const how = watch.escalated
      ? `it did not stop within the pool's abortGracePeriod of ${this.#grace} ms, so its worker thread was stopped and replaced`
      : `it settled by itself within the pool's abortGracePeriod of ${this.#grace} ms`;
    return {
      values: outcome.values,
      error: new TaskAbortedError(`${task.fn.label} was aborted; ${how}`, {
        cause: signal.reason,
      }),
    };
  }

  /** Closes the channel, so that it keeps nothing alive. */
  close(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }

  #post(message: CancelMessage): void {
    if (this.#channel === undefined) {
      this.#channel = new BroadcastChannel(this.channelName as string);
      this.#channel.unref();
    }
    this.#channel.postMessage(message);
  }
}
