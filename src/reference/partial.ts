/**
 * `partial`: Python's `functools.partial` for functions that travel. `bind` hides its target
 * (a bound function prints `[native code]` and names no module), so it can never be
 * referenced; a partial keeps its function and its bound arguments where selfsame can read
 * them, and its reference names the function and carries the arguments as data.
 */
import { checkFunction } from '../internal/check.js';
import { defineHidden, defineOwn } from '../internal/define.js';
import { ownName } from '../internal/describe.js';
import { WRAPPED_KEY } from '../internal/keys.js';

/** What a partial applies: its function and the arguments bound before the caller's. */
export interface PartialParts {
  readonly fn: Function;
  readonly args: readonly unknown[];
}

const partials = new WeakMap<Function, PartialParts>();

/**
 * Returns a function that calls `fn` with `args` first, then the arguments it is called
 * with, as Python's `functools.partial`. A partial of a partial binds to the same function,
 * its arguments appended. Unlike `fn.bind`, the result is referenceable: `toReference` names
 * `fn` and carries `args` as structured-clone data (covered by the signature when a key is
 * given), `fromReference` rebuilds an equivalent partial, and a `Pool` runs it
 * (`pool.map(partial(resize, 800), files)`). `identityOf` reports `fn` as what it wraps.
 *
 * The partial passes its own `this` on to `fn`; the arguments are kept as given (not copied)
 * until a reference is made of them.
 *
 * @param fn - the function to apply
 * @param args - the arguments bound before the caller's
 * @returns a function named `partial <name of fn>`, taking the remaining arguments
 * @throws TypeError when `fn` is not a function
 * @example
 * ```ts
 * export function scale(factor: number, value: number) { return factor * value; }
 * const double = partial(scale, 2);
 * double(21); // 42
 * await pool.map(double, [1, 2, 3]); // [2, 4, 6], run in worker threads
 * ```
 */
export function partial<Bound extends unknown[], Rest extends unknown[], Result>(
  fn: (...args: [...Bound, ...Rest]) => Result,
  ...args: Bound
): (...rest: Rest) => Result {
  checkFunction(fn, 'fn');
  const inner = partials.get(fn);
  const target = inner?.fn ?? fn;
  const bound = Object.freeze(inner === undefined ? [...args] : [...inner.args, ...args]);
  const name = `partial ${ownName(target) || '<anonymous>'}`;
  const applied = {
    [name](this: unknown, ...rest: unknown[]): unknown {
      return Reflect.apply(target, this, [...bound, ...rest]);
    },
  }[name] as (...rest: Rest) => Result;
  const length = (Object.getOwnPropertyDescriptor(target, 'length')?.value as unknown) ?? 0;
  defineOwn(
    applied,
    'length',
    {
      value: typeof length === 'number' ? Math.max(0, length - bound.length) : 0,
      configurable: true,
    },
    'partial',
  );
  defineHidden(applied, WRAPPED_KEY, target, 'partial');
  partials.set(applied, { fn: target, args: bound });
  return applied;
}

/** The function and bound arguments of a partial made by {@link partial}, if `fn` is one. */
export function partialOf(fn: Function): PartialParts | undefined {
  return partials.get(fn);
}
