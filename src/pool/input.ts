/**
 * The input of a `map`-like call: any iterable or async iterable, read in full first (as
 * Python's `map` reads its input): one value per item for `map`, one argument list per item for
 * `starmap`.
 *
 * @internal
 * @packageDocumentation
 */
import { describeValue } from '../internal/describe.js';

/**
 * What `map`, `starmap`, `imap` and `imapUnordered` accept: any iterable (an array, a `Set`, a
 * string, a generator) or async iterable, read in full before the first task is sent.
 *
 * @example
 * ```ts
 * async function* lines() { yield 'Lorem ipsum'; yield 'dolor sit'; }
 * await pool.map(countLorem, lines());
 * ```
 */
export type Source<T> = Iterable<T> | AsyncIterable<T>;

/** Throws a `TypeError` unless `iterable` is iterable, sync or async. */
export function checkSource(iterable: unknown): void {
  const isIterable =
    typeof iterable === 'object' &&
    iterable !== null &&
    (typeof (iterable as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
  if (!isIterable && typeof iterable !== 'string') {
    throw new TypeError(
      `Expected \`iterable\` to be an iterable or async iterable, got ${describeValue(iterable)}`,
    );
  }
}

/**
 * Reads the whole input (as Python's `map` does): the items themselves, or, with `spread`, the
 * argument lists, each checked to be an array. Items travel flat: an array of a million small
 * argument lists costs about ten times as much to clone as the flat array of their values.
 */
export async function readItems(iterable: Source<unknown>, spread: boolean): Promise<unknown[]> {
  const isAsync =
    typeof iterable === 'object' && iterable !== null && Symbol.asyncIterator in iterable;
  // Array.from iterates as for-of does, with V8's fast path for a plain array.
  if (!spread && !isAsync) return Array.from(iterable as Iterable<unknown>);
  const items: unknown[] = [];
  const add = (item: unknown): void => {
    if (!spread) {
      items.push(item);
    } else if (Array.isArray(item)) {
      items.push(item);
    } else {
      throw new TypeError(
        `Expected item ${items.length} of \`iterable\` to be an array of arguments, got ${describeValue(item)}`,
      );
    }
  };
  if (isAsync) {
    for await (const item of iterable as AsyncIterable<unknown>) add(item);
  } else {
    for (const item of iterable as Iterable<unknown>) add(item);
  }
  return items;
}
