/**
 * Large batches of plain values travel to the workers as bytes serialized ahead of time: a
 * worker would otherwise wait, after each answer, while the main thread cloned its next batch;
 * with that batch serialized while the workers run, the wait shrinks to a message's latency.
 * Structured clone and `v8.serialize` are the same V8 serializer; they differ only for host
 * objects (a `Buffer` comes back a `Buffer` from one, a `Uint8Array` from the other), so only
 * primitives travel this way, and everything else as before.
 *
 * Answers travel back by plain structured clone, not as bytes: `v8.serialize` in the worker
 * and `v8.deserialize` here cost more CPU than the native clone of the same array (about 15% of
 * the CPU time of a whole `map` of 100,000 or 1,000,000 trivial items, measured in
 * docs/performance.md), and on a machine with no core to spare for the main thread that CPU is
 * taken from the workers.
 *
 * @internal
 * @packageDocumentation
 */
import { requireBuiltin } from '../reference/node.js';
import type { TaskReport, TaskResponse } from './protocol.js';

type V8 = typeof import('node:v8');
let v8: V8 | undefined;

/**
 * `node:v8`, loaded on first use: a worker that never sees a large batch (every `apply`) does
 * not load it, nor the stream modules it pulls in, while it starts.
 */
function serializer(): V8 {
  v8 ??= requireBuiltin<V8>('node:v8');
  return v8;
}

/**
 * A batch is serialized ahead when it has at least this many values: below it, the fixed cost
 * of serializing on its own (a few microseconds) outweighs what it saves.
 */
export const AHEAD_MIN_ITEMS = 512;

/** Whether every value (or, with `spread`, every argument of every list) is a primitive. */
export function allPrimitive(values: readonly unknown[], spread: boolean): boolean {
  // An indexed loop with one `typeof` per value, on the main thread's critical path: 3-4 ns a
  // value on this (loaded) machine, against about 20 for `Array#some` with three tests.
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (spread) {
      if (!allPrimitive(value as readonly unknown[], false)) return false;
      continue;
    }
    const type = typeof value;
    if (type === 'object' ? value !== null : type === 'function' || type === 'symbol') return false;
  }
  return true;
}

/** The bytes of a batch of primitives. */
export function encode(values: readonly unknown[]): Uint8Array {
  return serializer().serialize(values);
}

/** The batch that {@link encode} made these bytes of. */
export function decode(bytes: Uint8Array): unknown[] {
  return serializer().deserialize(bytes) as unknown[];
}

/** Whether a message part is an encoded batch rather than the values themselves. */
export function isEncoded(part: unknown): part is Uint8Array {
  return ArrayBuffer.isView(part);
}

/** Whether an answer is a report (a failure, events or records to deliver), not bare values. */
export function isReport(response: TaskResponse): response is TaskReport {
  return typeof response === 'object' && response !== null && !Array.isArray(response);
}

/** An answer as a report: bare values, or one bare value, become `{ values }`. */
export function reportOf(response: TaskResponse): TaskReport {
  if (isReport(response)) return response;
  return { values: Array.isArray(response) ? response : [response] };
}
