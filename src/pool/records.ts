/**
 * A pool's timeline records, main-thread side: the spans of each task as the pool sees them
 * (queued, dispatched, settled) and the records the workers made, which arrive with each task's
 * answer. Only built when the pool was given `onRecord`: a pool without it never calls in here.
 *
 * @internal
 * @packageDocumentation
 */
import type { TimelineRecord } from '../timeline/types.js';
import type { RecordBatch } from './protocol.js';

/** What the recorder needs to know of a task. */
export interface RecordedTask {
  readonly id: number;
  readonly fn: { readonly wire: string };
  readonly items: readonly unknown[];
  readonly offset: number;
}

/** Flow ids are unique across the pools of a process: a pool's serial, then its task id. */
let pools = 0;
const TASK_IDS = 2 ** 32;

/** How many numbers one timed call takes in a {@link RecordBatch}: qualname, module, start, end, error. */
export const CALL_FIELDS = 5;

// Read once: the getter asks Node for it on every read, and it never changes within a thread.
const timeOrigin = performance.timeOrigin;

/** Unix time in milliseconds, sub-millisecond, on the monotonic clock of this thread. */
export function epochNow(): number {
  return timeOrigin + performance.now();
}

/** The task's function by qualname, read from its reference once per function. */
export function qualnameOf(wire: string, cache: Map<string, string>): string {
  let name = cache.get(wire);
  if (name === undefined) {
    const parsed = JSON.parse(wire) as { qualname?: unknown };
    name = typeof parsed.qualname === 'string' ? parsed.qualname : '<function>';
    cache.set(wire, name);
  }
  return name;
}

/** Records a pool's task spans and forwards its workers' records, all to one sink. */
export class TaskRecorder {
  /** The first flow id of this pool; workers add the task id to it. */
  readonly flowBase: number;
  readonly #sink: (record: TimelineRecord) => void;
  readonly #queued = new Map<number, number>();
  readonly #names = new Map<string, string>();

  constructor(sink: (record: TimelineRecord) => void) {
    pools += 1;
    this.flowBase = pools * TASK_IDS;
    this.#sink = sink;
  }

  queued(task: RecordedTask): void {
    this.#queued.set(task.id, epochNow());
  }

  /** After the task was handed to piscina: its wait in the queue, and the hand-over itself. */
  dispatched(task: RecordedTask, began: number): void {
    const end = epochNow();
    const name = qualnameOf(task.fn.wire, this.#names);
    const args = { task: task.id, offset: task.offset, items: task.items.length };
    const queued = this.#queued.get(task.id) ?? began;
    this.#emit({
      qualname: `queued ${name}`,
      start: queued,
      end: began,
      outcome: 'ok',
      threadId: 0,
      kind: 'pool',
      args,
    });
    this.#emit({
      qualname: `dispatch ${name}`,
      start: began,
      end,
      outcome: 'ok',
      threadId: 0,
      kind: 'pool',
      flowOut: this.flowBase + task.id,
      args,
    });
  }

  /** When the task's outcome reached the pool: its whole life, as the main thread saw it. */
  settled(task: RecordedTask, failed: boolean): void {
    const queued = this.#queued.get(task.id);
    if (queued === undefined) return;
    this.#queued.delete(task.id);
    this.#emit({
      qualname: `task ${qualnameOf(task.fn.wire, this.#names)}`,
      start: queued,
      end: epochNow(),
      outcome: failed ? 'error' : 'ok',
      threadId: 0,
      kind: 'pool',
      args: { task: task.id, offset: task.offset, items: task.items.length },
    });
  }

  /** The records a worker sent with a task's answer. */
  received(batch: RecordBatch): void {
    const { calls, strings, threadId } = batch;
    for (let at = 0; at < calls.length; at += CALL_FIELDS) {
      const module = calls[at + 1] as number;
      const error = calls[at + 4] as number;
      this.#emit({
        qualname: strings[calls[at] as number] as string,
        module: module < 0 ? undefined : strings[module],
        start: calls[at + 2] as number,
        end: calls[at + 3] as number,
        outcome: error < 0 ? 'ok' : 'error',
        error: error < 0 ? undefined : strings[error],
        threadId,
      });
    }
    for (const span of batch.spans) this.#emit(span);
  }

  #emit(record: TimelineRecord): void {
    try {
      this.#sink(record);
    } catch (error) {
      // As with trackExecutionTime's `onRecord`: a failing sink never fails the task.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
