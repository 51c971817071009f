/**
 * Progress from inside a task, the pool's side: the events a task sends with
 * `taskContext().progress(data)` and the item-done notices of its worker arrive on piscina's
 * `message` event, apart from the task's answer (which travels on piscina's own port). Messages
 * of one port keep their order, but two ports do not keep theirs: so the answer says how many
 * events the task sent, and the pool settles the task only once all of them were delivered.
 *
 * @internal
 * @packageDocumentation
 */
import type { TaskEvent } from './options.js';
import type { Outcome } from './outcome.js';
import { TASK_EVENT, type TaskEventMessage } from './protocol.js';

/** What the caller of a task hears while it runs. */
export interface TaskHooks {
  /** A progress event the task sent from its item `item` (counted within the task). */
  readonly onEvent?: ((item: number, data: unknown) => void) | undefined;
  /** The first `done` items of the task are done (ahead of the task's answer). */
  readonly onDone?: ((done: number) => void) | undefined;
}

/** A task as the relay sees it. */
export interface Relayed {
  readonly hooks: TaskHooks | undefined;
  /** Events delivered so far, and the answer waiting for the rest. */
  events: number;
  /** What a hook threw: the task's outcome becomes this failure, as when `onProgress` throws. */
  hookError?: { readonly error: unknown };
  awaiting?: { readonly events: number; readonly resume: () => void } | undefined;
}

// A worker posts its events before its answer, and Node delivers what a thread posted even
// after it exits: this bound only keeps a lost message from holding a task forever.
const DELIVERY_BOUND = 5_000;

/** Whether `message` is a task event or notice. */
export function isTaskEvent(message: unknown): message is TaskEventMessage {
  return typeof message === 'object' && message !== null && TASK_EVENT in message;
}

/** Delivers one event or notice to its task's hooks; resumes the answer that waited for it. */
export function deliver(task: Relayed, message: TaskEventMessage): void {
  if (!('done' in message)) task.events += 1;
  if (task.hookError === undefined) {
    try {
      if ('done' in message) task.hooks?.onDone?.(message.done);
      else task.hooks?.onEvent?.(message.item, message.data);
    } catch (error) {
      // Thrown out of piscina's event emitter it would crash the process: it fails the task.
      task.hookError = { error };
    }
  }
  if (task.awaiting !== undefined && task.events >= task.awaiting.events) task.awaiting.resume();
}

/** Runs `settle` once every one of the task's `events` was delivered (or the bound passed). */
export function afterEvents(task: Relayed, events: number, settle: () => void): void {
  if (task.events >= events) {
    settle();
    return;
  }
  let done = false;
  const resume = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    task.awaiting = undefined;
    settle();
  };
  const timer = setTimeout(resume, DELIVERY_BOUND);
  task.awaiting = { events, resume };
}

/** The caller's `onProgress`, as options give it. */
export type OnProgress = (done: number, total: number, event?: TaskEvent) => void;

/**
 * The caller's `onProgress`, called until it first throws: then `onThrow` runs once with its
 * error (to drop the call's work not yet started), the error is rethrown to whoever called, and
 * `onProgress` is never called again.
 */
export function guardProgress(
  onProgress: OnProgress,
  onThrow: (error: unknown) => void,
): OnProgress {
  let failed = false;
  return (...args) => {
    if (failed) return;
    try {
      onProgress(...args);
    } catch (error) {
      failed = true;
      onThrow(error);
      throw error;
    }
  };
}

/**
 * One call's progress: counts items done across its tasks, once each, in per-item calls. When
 * `onProgress` throws, `cancel` drops the call's tasks not yet started, the task whose progress
 * it was fails with its error, and it is never called again.
 */
export class CallProgress {
  readonly #onProgress: OnProgress;
  readonly #total: number;
  #done = 0;

  constructor(onProgress: OnProgress, total: number, cancel: (reason: unknown) => void = noop) {
    this.#onProgress = guardProgress(onProgress, cancel);
    this.#total = total;
  }

  /**
   * The hooks of the task whose first item is `offset`, and `finish`, which counts the items
   * its outcome brings that no notice announced (a throwing `onProgress` becomes its error).
   */
  forTask(offset: number): { hooks: TaskHooks; finish: (result: Outcome) => Outcome } {
    let counted = 0;
    const advance = (upTo: number): void => {
      while (counted < upTo) {
        counted += 1;
        this.#done += 1;
        this.#onProgress(this.#done, this.#total);
      }
    };
    return {
      hooks: {
        onDone: advance,
        onEvent: (item, data) =>
          this.#onProgress(this.#done, this.#total, { item: offset + item, data }),
      },
      finish: (result) => {
        try {
          advance(result.values.length);
          return result;
        } catch (error) {
          return 'error' in result ? result : { values: result.values, error };
        }
      },
    };
  }
}

function noop(): void {}
