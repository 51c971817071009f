/**
 * The input of a `map`-like call: any iterable or async iterable, read in full first (as
 * Python's `map` reads its input), as one argument list per item.
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

/** Reads the whole input (as Python's `map` does), as one argument list per item. */
export async function readItems(
  iterable: Source<unknown>,
  spread: boolean,
): Promise<(readonly unknown[])[]> {
  const items: (readonly unknown[])[] = [];
  const add = (item: unknown): void => {
    if (!spread) {
      items.push([item]);
    } else if (Array.isArray(item)) {
      items.push(item);
    } else {
      throw new TypeError(
        `Expected item ${items.length} of \`iterable\` to be an array of arguments, got ${describeValue(item)}`,
      );
    }
  };
  if (typeof iterable === 'object' && iterable !== null && Symbol.asyncIterator in iterable) {
    for await (const item of iterable as AsyncIterable<unknown>) add(item);
  } else {
    for (const item of iterable as Iterable<unknown>) add(item);
  }
  return items;
}
