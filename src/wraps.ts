/**
 * `updateWrapper`, `wraps` and `unwrap`: Python's `functools.update_wrapper`, `functools.wraps`
 * and `inspect.unwrap` for JavaScript functions, so that a wrapper keeps the name, arity,
 * identity and framework metadata of the function it wraps.
 *
 * @packageDocumentation
 */

// Every decorator path of selfsame goes through this module, so importing it here installs
// `Symbol.metadata` before any decorated class can be defined.
import './internal/symbol-metadata.js';
import { UnwrapLoopError, WrapperPropertyError } from './errors.js';
import { identityOf } from './identity.js';
import { isProxy } from './internal/builtins.js';
import { checkFunction, checkKnownKeys, checkOptions } from './internal/check.js';
import { refusalReason } from './internal/define.js';
import { describeValue } from './internal/describe.js';
import { DOC_KEY, MODULE_KEY, QUALNAME_KEY, WRAPPED_KEY } from './internal/keys.js';
import { copyReflectMetadata, metadataSymbol } from './internal/metadata.js';
import { wrappedOf } from './internal/own-data.js';

/**
 * The identity fields {@link updateWrapper} copies by default, as Python's
 * `functools.WRAPPER_ASSIGNMENTS`. `name` and `length` are the function's own properties;
 * `qualname`, `module` and `doc` are selfsame's hidden identity slots (see {@link identityOf}).
 *
 * @example
 * ```ts
 * // Copy everything but the doc:
 * updateWrapper(wrapper, fn, { assigned: WRAPPER_ASSIGNMENTS.filter((field) => field !== 'doc') });
 * ```
 */
export const WRAPPER_ASSIGNMENTS = Object.freeze([
  'name',
  'length',
  'qualname',
  'module',
  'doc',
] as const);

/**
 * What {@link updateWrapper} merges by default, as Python's `functools.WRAPPER_UPDATES`:
 * `properties` (the wrapped function's own properties, as Python's `__dict__`) and `metadata`
 * (its reflect-metadata entries and its `Symbol.metadata` object).
 *
 * @example
 * ```ts
 * // Keep framework metadata, but not the wrapped function's own properties:
 * updateWrapper(wrapper, fn, { updated: ['metadata'] });
 * ```
 */
export const WRAPPER_UPDATES = Object.freeze(['properties', 'metadata'] as const);

/** One of the identity fields in {@link WRAPPER_ASSIGNMENTS}. */
export type WrapperAssignment = (typeof WRAPPER_ASSIGNMENTS)[number];

/** One of the merges in {@link WRAPPER_UPDATES}. */
export type WrapperUpdate = (typeof WRAPPER_UPDATES)[number];

/** What {@link updateWrapper} and {@link wraps} copy; each list defaults to its public constant. */
export interface WrapOptions {
  /**
   * The fields copied one by one: identity fields from {@link WRAPPER_ASSIGNMENTS}, or any other
   * own property key (string or symbol), copied as its descriptor. A field the wrapped function
   * lacks is skipped.
   */
  readonly assigned?: readonly (WrapperAssignment | (string & {}) | symbol)[] | undefined;
  /** The merges to run, from {@link WRAPPER_UPDATES}. */
  readonly updated?: readonly WrapperUpdate[] | undefined;
}

/** What {@link unwrap} accepts. */
export interface UnwrapOptions {
  /**
   * Called with each function that wraps another, outermost first; returning `true` stops there
   * and returns that function.
   */
  readonly stop?: ((fn: Function) => boolean) | undefined;
}

/** One field to copy: its key on both functions, and how a refusal names it. */
interface Assignment {
  readonly key: string | symbol;
  readonly what: string;
}

/** Options checked once and frozen into what to do, so `wraps` validates at decoration time. */
interface Plan {
  readonly assigned: readonly Assignment[];
  readonly properties: boolean;
  readonly metadata: boolean;
}

const IDENTITY_FIELDS: Readonly<Record<WrapperAssignment, Assignment>> = {
  name: { key: 'name', what: 'the name' },
  length: { key: 'length', what: 'the length' },
  qualname: { key: QUALNAME_KEY, what: 'the qualname' },
  module: { key: MODULE_KEY, what: 'the module' },
  doc: { key: DOC_KEY, what: 'the doc' },
};

const DEFAULT_PLAN: Plan = {
  assigned: WRAPPER_ASSIGNMENTS.map((field) => IDENTITY_FIELDS[field]),
  properties: true,
  metadata: true,
};

/**
 * Makes `wrapper` look like `wrapped`: copies its identity fields, merges its own properties and
 * framework metadata, and links the wrapper to it, as Python's `functools.update_wrapper`.
 *
 * A field the wrapped function lacks is skipped. Properties are copied as descriptors: a getter
 * is never invoked, and a key named `__proto__` becomes an own property, never the prototype.
 * The wrapper's `toString()` stays its own source. The wrapper must be extensible, since the link
 * to `wrapped` is always added; a non-configurable own property of the wrapper that would be
 * overwritten stops the copy at that property with a {@link WrapperPropertyError} (the fields
 * before it are already copied).
 *
 * @param wrapper - the function that calls `wrapped`; it is changed in place
 * @param wrapped - the function being wrapped
 * @param options - `assigned` and `updated`: what to copy, defaulting to
 *   {@link WRAPPER_ASSIGNMENTS} and {@link WRAPPER_UPDATES}
 * @returns `wrapper` itself, typed as `wrapped`
 * @throws TypeError when `wrapper` or `wrapped` is not a function, both are the same function, or
 *   `options` is malformed, naming the argument and the value received
 * @throws {@link WrapperPropertyError} when the wrapper is not extensible (frozen, sealed) or one
 *   of its own properties to overwrite is not configurable
 * @example
 * ```ts
 * function logged<F extends (...args: never[]) => unknown>(fn: F): F {
 *   return updateWrapper(function (this: unknown, ...args: Parameters<F>) {
 *     console.log('calling', fn.name);
 *     return Reflect.apply(fn, this, args);
 *   }, fn);
 * }
 * ```
 */
export function updateWrapper<F extends Function>(
  wrapper: Function,
  wrapped: F,
  options?: WrapOptions,
): F {
  checkFunction(wrapper, 'wrapper');
  checkFunction(wrapped, 'wrapped');
  return update(wrapper, wrapped, options === undefined ? DEFAULT_PLAN : planOf(options));
}

/**
 * Returns a function that applies {@link updateWrapper} with `wrapped`, as Python's
 * `functools.wraps`. The options are checked now, and later changes to the lists are not seen.
 *
 * @param wrapped - the function being wrapped
 * @param options - `assigned` and `updated`, as for {@link updateWrapper}
 * @returns a function taking the wrapper, updating it and returning it typed as `wrapped`
 * @throws TypeError when `wrapped` is not a function or `options` is malformed; the returned
 *   function throws as {@link updateWrapper} does
 * @example
 * ```ts
 * function traced<F extends (...args: never[]) => unknown>(fn: F): F {
 *   return wraps(fn)(function (this: unknown, ...args: Parameters<F>) {
 *     return Reflect.apply(fn, this, args);
 *   });
 * }
 * ```
 */
export function wraps<F extends Function>(
  wrapped: F,
  options?: WrapOptions,
): <W extends Function>(wrapper: W) => F {
  checkFunction(wrapped, 'wrapped');
  const plan = options === undefined ? DEFAULT_PLAN : planOf(options);
  return (wrapper) => {
    checkFunction(wrapper, 'wrapper');
    return update(wrapper, wrapped, plan);
  };
}

/**
 * Follows the chain of wrapped functions set by {@link updateWrapper} down to the innermost one,
 * as Python's `inspect.unwrap`.
 *
 * @param fn - the function to unwrap
 * @param options - `stop`: called with each function that wraps another; `true` stops there
 * @returns the innermost function, or the first one for which `stop` returned `true`; `fn`
 *   itself when it wraps nothing
 * @throws TypeError when `fn` or `options.stop` is not a function, or `options` is malformed
 * @throws {@link UnwrapLoopError} when the chain comes back to a function already met
 * @example
 * ```ts
 * const original = unwrap(decorated);
 * const outermostTimed = unwrap(decorated, { stop: (f) => f.name === 'timed' });
 * ```
 */
export function unwrap<F extends Function>(fn: F, options?: UnwrapOptions): F {
  checkFunction(fn, 'fn');
  const stop = stopOf(options);
  const seen = new Set<Function>([fn]);
  let current: Function = fn;
  for (;;) {
    const next = wrappedOf(current);
    if (next === undefined || stop?.(current)) return current as F;
    if (seen.has(next)) {
      throw new UnwrapLoopError(
        `Wrapper loop when unwrapping ${nameForMessage(fn)}: the chain of wrapped functions comes back to ${nameForMessage(next)}`,
      );
    }
    seen.add(next);
    current = next;
  }
}

function stopOf(options: unknown): ((fn: Function) => boolean) | undefined {
  checkOptions(options, 'options');
  if (options === undefined) return undefined;
  checkKnownKeys(options, 'options', ['stop']);
  const { stop } = options as UnwrapOptions;
  if (stop !== undefined) checkFunction(stop, 'options.stop');
  return stop;
}

/** The refusal of a Proxy given as `wrapper` or `wrapped`, whose traps are never run. */
function proxyRefusal(argument: 'wrapper' | 'wrapped'): TypeError {
  return new TypeError(
    `Expected \`${argument}\` to be a function, got a Proxy (its traps are never run); wrap the function it stands for`,
  );
}

/** The body shared by {@link updateWrapper} and {@link wraps}, once arguments are checked. */
function update<F extends Function>(wrapper: Function, wrapped: F, plan: Plan): F {
  if (wrapper === wrapped) {
    throw new TypeError(
      `Expected \`wrapper\` to be another function than \`wrapped\`, got ${describeValue(wrapper)} for both`,
    );
  }
  // Before any property is read or written: through a Proxy each step would run a trap, and a
  // Proxy of `wrapped` as the wrapper would write the link onto `wrapped` itself, which would
  // then wrap itself.
  if (isProxy(wrapper)) throw proxyRefusal('wrapper');
  if (isProxy(wrapped)) throw proxyRefusal('wrapped');
  // Checked first so that a frozen or sealed wrapper is refused before anything changes: the
  // link below is a new property, which such a wrapper can never take.
  if (!Object.isExtensible(wrapper))
    throw wrapperRefusal(wrapper, wrapped, WRAPPED_KEY, 'the wrapped link');
  if (plan === DEFAULT_PLAN) copyDefaults(wrapper, wrapped);
  else copyPlanned(wrapper, wrapped, plan);
  // Set last, and to `wrapped` itself even when `wrapped` has a link of its own, as CPython does
  // since Issue 17482: a merge that ran after it could overwrite it with the inner function's
  // link, and `unwrap` would then skip a level. The merge above skips selfsame's slots anyway;
  // a custom `assigned` list naming the slot must not win over it either.
  if (
    !Reflect.defineProperty(wrapper, WRAPPED_KEY, {
      value: wrapped,
      writable: false,
      enumerable: false,
      configurable: true,
    })
  ) {
    throw wrapperRefusal(wrapper, wrapped, WRAPPED_KEY, 'the wrapped link');
  }
  return wrapper as F;
}

/**
 * The default plan in one pass over `from`'s own keys. It ends exactly as {@link copyPlanned}
 * with the default lists, since the assigned fields and the merge touch disjoint keys, but reads
 * each key once and spends nothing on the identity slots `from` lacks: decoration speed is part
 * of the contract.
 */
function copyDefaults(to: Function, from: Function): void {
  const keys = Reflect.ownKeys(from);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string | symbol;
    if (typeof key === 'string') {
      if (key === 'name') copyOwn(to, from, key, 'the name');
      else if (key === 'length') copyOwn(to, from, key, 'the length');
      else if (!isStandardKey(key)) copyProperty(to, from, key);
    } else if (key === QUALNAME_KEY) copyOwn(to, from, key, 'the qualname');
    else if (key === MODULE_KEY) copyOwn(to, from, key, 'the module');
    else if (key === DOC_KEY) copyOwn(to, from, key, 'the doc');
    else if (!isSkippedSymbol(key)) copyProperty(to, from, key);
  }
  copyReflectMetadata(to, from);
}

/** Any plan: the assigned fields one by one, then the merges, as CPython orders them. */
function copyPlanned(to: Function, from: Function, plan: Plan): void {
  const assigned = plan.assigned;
  for (let index = 0; index < assigned.length; index++) {
    const field = assigned[index] as Assignment;
    copyOwn(to, from, field.key, field.what);
  }
  if (plan.properties) mergeProperties(to, from);
  if (plan.metadata) {
    copyReflectMetadata(to, from);
    const symbol = metadataSymbol();
    if (symbol !== undefined) copyOwn(to, from, symbol, undefined);
  }
}

/** Copies one own property as its descriptor, so a getter is moved, never run; absent: skipped. */
function copyOwn(to: Function, from: Function, key: string | symbol, what: string | undefined) {
  const descriptor = Reflect.getOwnPropertyDescriptor(from, key);
  if (descriptor !== undefined && !Reflect.defineProperty(to, key, descriptor)) {
    throw wrapperRefusal(to, from, key, what ?? propertyWhat(key));
  }
}

/**
 * {@link copyOwn} for the merged properties. A plain data property (writable, enumerable and
 * configurable) whose key `to` has nowhere on its prototype chain is created by assignment
 * exactly as `defineProperty` would create it, at a fraction of the cost (V8's
 * `defineProperty` is a runtime call of about 150 ns). The `in` test also keeps `__proto__` and
 * any inherited setter on the `defineProperty` path, where no setter runs.
 */
function copyProperty(to: Function, from: Function, key: string | symbol): void {
  const descriptor = Reflect.getOwnPropertyDescriptor(from, key);
  if (descriptor === undefined) return;
  if (
    descriptor.writable === true &&
    descriptor.enumerable === true &&
    descriptor.configurable === true &&
    !(key in to)
  ) {
    (to as unknown as Record<string | symbol, unknown>)[key] = descriptor.value;
  } else if (!Reflect.defineProperty(to, key, descriptor)) {
    throw wrapperRefusal(to, from, key, propertyWhat(key));
  }
}

/**
 * The error for a definition the wrapper refused. The wrapper is named after the function it
 * wraps: by then it may already carry that function's name, and its own name would mislead.
 */
function wrapperRefusal(
  wrapper: Function,
  wrapped: Function,
  key: string | symbol,
  what: string,
): WrapperPropertyError {
  return new WrapperPropertyError(
    key,
    `Cannot set ${what} on the wrapper of ${nameForMessage(wrapped)}: ${refusalReason(wrapper)}`,
  );
}

function propertyWhat(key: string | symbol): string {
  return `the property \`${String(key)}\``;
}

/**
 * Merges `from`'s own properties into `to`, as Python's `wrapper.__dict__.update(...)`. Skipped:
 * the properties every function has for itself (`length` and `name` are `assigned` fields;
 * `prototype` belongs to the constructor it was made for; `arguments` and `caller` are sloppy-mode
 * poison), an own `toString` or `Symbol.toPrimitive` (a wrapper must never print as the function
 * it wraps, as mimic-function makes it: a pool sending `String(fn)` would run the original and
 * drop the wrapper), and selfsame's slots, which describe one function each and are copied only
 * through `assigned`. A custom `assigned` list can still name any of them. `Symbol.metadata`
 * belongs to the `metadata` merge, so that `updated: ['properties']` copies no framework
 * metadata at all.
 */
function mergeProperties(to: Function, from: Function): void {
  const keys = Reflect.ownKeys(from);
  const metadata = metadataSymbol();
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string | symbol;
    if (typeof key === 'string' ? !isStandardKey(key) : key !== metadata && !isSkippedSymbol(key)) {
      copyProperty(to, from, key);
    }
  }
}

function isStandardKey(key: string): boolean {
  return (
    key === 'length' ||
    key === 'name' ||
    key === 'prototype' ||
    key === 'arguments' ||
    key === 'caller' ||
    key === 'toString'
  );
}

function isSkippedSymbol(key: symbol): boolean {
  return key === Symbol.toPrimitive || Symbol.keyFor(key)?.startsWith('selfsame.') === true;
}

/** Checks `options` and turns it into a plan; the defaults are shared, not rebuilt. */
function planOf(options: unknown): Plan {
  checkOptions(options, 'options');
  if (options === undefined) return DEFAULT_PLAN;
  checkKnownKeys(options, 'options', ['assigned', 'updated']);
  const { assigned, updated } = options as WrapOptions;
  if (
    (assigned === undefined || assigned === WRAPPER_ASSIGNMENTS) &&
    (updated === undefined || updated === WRAPPER_UPDATES)
  ) {
    return DEFAULT_PLAN;
  }
  const plan = {
    assigned: assigned === undefined ? DEFAULT_PLAN.assigned : assignmentsOf(assigned),
    properties: true,
    metadata: true,
  };
  if (updated !== undefined) {
    checkList(updated, 'options.updated', 'a list of `properties` and `metadata`');
    plan.properties = false;
    plan.metadata = false;
    updated.forEach((entry: unknown, index) => {
      if (entry === 'properties') plan.properties = true;
      else if (entry === 'metadata') plan.metadata = true;
      else {
        throw new TypeError(
          `Expected \`options.updated[${index}]\` to be \`properties\` or \`metadata\`, got ${describeValue(entry)}`,
        );
      }
    });
  }
  return plan;
}

function assignmentsOf(assigned: unknown): Assignment[] {
  checkList(assigned, 'options.assigned', 'a list of property keys (strings or symbols)');
  return assigned.map((entry: unknown, index) => {
    if (typeof entry === 'symbol') return { key: entry, what: propertyWhat(entry) };
    if (typeof entry !== 'string') {
      throw new TypeError(
        `Expected \`options.assigned[${index}]\` to be a property key (a string or a symbol), got ${describeValue(entry)}`,
      );
    }
    return Object.hasOwn(IDENTITY_FIELDS, entry)
      ? IDENTITY_FIELDS[entry as WrapperAssignment]
      : { key: entry, what: propertyWhat(entry) };
  });
}

function checkList(value: unknown, argument: string, expected: string): asserts value is unknown[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`Expected \`${argument}\` to be ${expected}, got ${describeValue(value)}`);
  }
}

/** Names a function in a message by qualname, and module when known. */
function nameForMessage(fn: Function): string {
  const { qualname, module } = identityOf(fn);
  const named = qualname === '' ? 'an anonymous function' : `\`${qualname}\``;
  return module === undefined ? named : `${named} (module \`${module}\`)`;
}
