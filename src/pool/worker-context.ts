/**
 * The worker side of {@link taskContext}: which task and item this worker runs now, the
 * task's cancellation signal (fed by the pool's cancel channel), and the progress events and
 * item-done notices it sends to the pool on `parentPort`.
 *
 * A worker runs one task at a time and the items of a task one after the other, so "the item
 * running now" is one small record per task and a number set before each item; the context
 * object itself is made only when a task asks for it.
 *
 * @internal
 * @packageDocumentation
 */
import { BroadcastChannel, parentPort } from 'node:worker_threads';
import { restore } from './envelope.js';
import {
  type CancelMessage,
  TASK_EVENT,
  type TaskEventMessage,
  type WorkerSetup,
} from './protocol.js';
import {
  NotInTaskError,
  TASK_CONTEXT_SLOT,
  type TaskContext,
  type TaskContextSlot,
} from './task-context.js';

/** The running task: its id, its items done, and what its context handed out. */
interface TaskState {
  readonly id: number;
  /** Items done, and how many of them the pool was told of. */
  done: number;
  reported: number;
  /** Progress events sent: the task's response says how many the pool must wait for. */
  events: number;
  controller: AbortController | undefined;
  ended: boolean;
}

let task: TaskState | undefined;
let index = 0;
let context: TaskContext | undefined;
/** Cancellations that arrived before their task (ids only grow, so older ones are dropped). */
const cancelled = new Map<number, unknown>();

const slot: TaskContextSlot = {
  current: () => {
    if (task === undefined) return undefined;
    context ??= makeContext(task, index);
    return context;
  },
};
(globalThis as { [TASK_CONTEXT_SLOT]?: TaskContextSlot })[TASK_CONTEXT_SLOT] = slot;

let flags: Int32Array | undefined;

/** Listens on the pool's cancel channel, when the pool gives running tasks a grace period. */
export function listenForCancels(setup: WorkerSetup): void {
  if (setup.cancelChannel === undefined) return;
  flags = setup.cancelFlags;
  const channel = new BroadcastChannel(setup.cancelChannel);
  // The channel must not keep an idle worker alive: piscina decides when a worker ends.
  channel.unref();
  channel.onmessage = (event) => {
    const { cancel, reason } = (event as { data: CancelMessage }).data;
    const why = restore(reason);
    if (task !== undefined && cancel === task.id) {
      abort(task, why);
    } else if (task === undefined || cancel > task.id) {
      cancelled.set(cancel, why);
    }
  };
}

/** A task begins: its items are numbered from 0. */
export function startTask(id: number): void {
  task = { id, done: 0, reported: 0, events: 0, controller: undefined, ended: false };
  index = 0;
  context = undefined;
  for (const older of cancelled.keys()) if (older < id) cancelled.delete(older);
  if (cancelled.has(id)) {
    abort(task, cancelled.get(id));
    cancelled.delete(id);
  } else if (flags !== undefined && Atomics.load(flags, id % flags.length) === id) {
    // Aborted before this worker's channel opened: the flag came, the reason did not.
    abort(task, new DOMException('This operation was aborted', 'AbortError'));
  }
}

/** The item `at` of the running task starts: the items before it are done. */
export function startItem(at: number): void {
  if (at !== index) context = undefined;
  index = at;
  if (task !== undefined) task.done = at;
}

/**
 * Tells the pool which items of the running task are done, before the worker waits on an
 * asynchronous item: a chunk's progress then reaches the caller item by item, while items that
 * complete synchronously are reported with the chunk's answer, at no cost.
 */
export function reportDone(): void {
  if (task !== undefined && task.done > task.reported && parentPort !== null) {
    task.reported = task.done;
    parentPort.postMessage({ [TASK_EVENT]: task.id, done: task.done } satisfies TaskEventMessage);
  }
}

/** The task ended: returns how many progress events it sent, for its response. */
export function endTask(): number {
  const events = task?.events ?? 0;
  if (task !== undefined) task.ended = true;
  task = undefined;
  context = undefined;
  return events;
}

function abort(state: TaskState, reason: unknown): void {
  state.controller ??= new AbortController();
  state.controller.abort(reason);
}

function makeContext(state: TaskState, item: number): TaskContext {
  return {
    get signal(): AbortSignal {
      state.controller ??= new AbortController();
      return state.controller.signal;
    },
    progress(data: unknown): void {
      if (state.ended) {
        throw new NotInTaskError(
          `progress() was called after its task ended (item ${item}): report progress before the task returns`,
        );
      }
      parentPort?.postMessage({ [TASK_EVENT]: state.id, item, data } satisfies TaskEventMessage);
      state.events += 1;
    },
  };
}
