/**
 * Zero-copy transfer: {@link transfer} marks a value to be moved to the other thread instead of
 * copied, as piscina's `move()` does. The mark is a side table (a `WeakSet`), so the value
 * itself is returned unchanged and keeps its type: `pool.apply(hash, [transfer(buffer)])`
 * type-checks as `pool.apply(hash, [buffer])` would.
 *
 * @packageDocumentation
 */
import { MessagePort } from 'node:worker_threads';
import { describeValue } from '../internal/describe.js';

/**
 * What {@link transfer} accepts: memory that can change threads (an `ArrayBuffer`, or a typed
 * array or `DataView`, whose whole buffer moves), or a `MessagePort`.
 *
 * @example
 * ```ts
 * const payload: Transferable = new Float64Array(1_000);
 * ```
 */
export type Transferable = ArrayBuffer | ArrayBufferView | MessagePort;

/** The marks of one thread: the marked values, and how many were marked and not yet sent. */
interface Marks {
  readonly values: WeakSet<object>;
  outstanding: number;
}

// One side table per thread, kept on globalThis so that two copies of selfsame share it.
const SLOT = Symbol.for('selfsame.pool.transfer');
const shared = globalThis as { [SLOT]?: Marks };
shared[SLOT] ??= { values: new WeakSet(), outstanding: 0 };
const marks: Marks = shared[SLOT];

/**
 * Marks `value` to be **moved**, not copied, when it is an argument the pool sends to a worker
 * or a result a task returns: the receiving thread gets the memory itself, and on the sending
 * side the buffer is detached (its `byteLength` becomes 0) and must not be used again. Only a
 * value passed or returned as such is moved (an argument, or what the task returns), not one
 * nested inside an object; unmarked values are copied by structured clone, as always.
 *
 * @param value - an `ArrayBuffer`, a typed array or `DataView` (its whole buffer moves), or a
 *   `MessagePort`
 * @returns `value` itself, marked
 * @throws TypeError when `value` is none of these (a `SharedArrayBuffer` is shared, never moved)
 * @example
 * ```ts
 * // main thread: the 1 MB buffer moves to the worker
 * await pool.apply(checksum, [transfer(buffer)]);
 * // in a task: the result moves back
 * export function render(): ArrayBuffer { return transfer(new ArrayBuffer(1 << 20)); }
 * ```
 */
export function transfer<T extends Transferable>(value: T): T {
  if (bufferOf(value) === undefined) {
    throw new TypeError(
      `Expected \`value\` to be an ArrayBuffer, a typed array, a DataView or a MessagePort, got ${describeValue(value)}`,
    );
  }
  if (!marks.values.has(value)) {
    marks.values.add(value);
    marks.outstanding += 1;
  }
  return value;
}

/** What moves when `value` moves, or `undefined` when it cannot. */
function bufferOf(value: unknown): ArrayBuffer | MessagePort | undefined {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) {
    return value.buffer instanceof ArrayBuffer ? value.buffer : undefined;
  }
  if (value instanceof MessagePort) return value;
  return undefined;
}

/**
 * The transfer list of some values (each an argument list when `spread`): what each marked one
 * moves, once each. The marks are cleared, since a moved buffer cannot move again. Empty, at no
 * cost, while nothing is marked.
 */
export function transferListOf(
  values: readonly unknown[],
  spread = false,
): (ArrayBuffer | MessagePort)[] {
  // While nothing is marked, nothing is scanned: the common case costs one comparison.
  if (marks.outstanding === 0) return [];
  const list: (ArrayBuffer | MessagePort)[] = [];
  const take = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || !marks.values.delete(value)) return;
    marks.outstanding -= 1;
    const moved = bufferOf(value) as ArrayBuffer | MessagePort;
    if (!list.includes(moved)) list.push(moved);
  };
  for (const value of values) {
    if (spread && Array.isArray(value)) for (const argument of value) take(argument);
    else take(value);
  }
  return list;
}

/** Whether `value` moves with `list` (it is, or its buffer is, in the list). */
export function movesWith(value: unknown, list: readonly (ArrayBuffer | MessagePort)[]): boolean {
  const moved = bufferOf(value);
  return moved !== undefined && list.includes(moved);
}
