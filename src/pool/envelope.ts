/**
 * Error envelopes: structured clone drops an error's own properties (`code`), its subclass and
 * much of its `cause`, so a worker takes a thrown error apart into plain data ({@link carry}) and
 * the pool puts it back together ({@link restore}) as an instance of the same class where the
 * class is known (built-in and selfsame errors), or of a class of the same name otherwise.
 *
 * @internal
 * @packageDocumentation
 */
import { types } from 'node:util';
import * as coreErrors from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { ownConstructor } from '../internal/own-data.js';
import { noteRebuild, referencedClass, rememberClass } from './error-classes.js';
import * as poolErrors from './errors.js';
import type { Carried, ErrorEnvelope } from './protocol.js';

const BUILTIN_ERRORS: readonly ErrorConstructor[] = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError as unknown as ErrorConstructor,
];

/** Every class the pool rebuilds as itself, by class name. */
const KNOWN = new Map<string, Function>();
for (const builtin of BUILTIN_ERRORS) KNOWN.set(builtin.name, builtin);
knowErrorClasses([...Object.values(coreErrors), ...Object.values(poolErrors)]);

/**
 * Adds error classes to those {@link carry} and {@link restoreError} rebuild as themselves (known
 * by prototype, never by name alone): selfsame's core and pool classes here, and the queue's,
 * which its layer adds since this one may not import it.
 */
export function knowErrorClasses(values: readonly unknown[]): void {
  for (const value of values) {
    if (typeof value === 'function' && value.prototype instanceof Error)
      KNOWN.set(value.name, value);
  }
}

const MAX_DEPTH = 8;
const OWN_FIELDS = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/**
 * Takes a thrown value apart into data that structured clone keeps whole. It never throws: a
 * getter that throws while being read (`cause`, `message`) is replaced by a description of its
 * failure, and the rest of the error still travels. A cause chain deeper than eight errors, or
 * circular, ends in a description.
 */
export function carry(thrown: unknown, depth = 0, seen: Set<object> = new Set()): Carried {
  if (!isError(thrown)) return { value: cloneableOrDescribed(thrown) };
  const name = readText(thrown, 'name');
  if (seen.has(thrown) || depth >= MAX_DEPTH) {
    return { value: `[${seen.has(thrown) ? 'circular' : 'deeper'} cause: ${name}]` };
  }
  seen.add(thrown);
  const className = classNameOf(thrown);
  const known = KNOWN.get(className);
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (OWN_FIELDS.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(thrown, key);
    if (descriptor && 'value' in descriptor) props[key] = cloneableOrDescribed(descriptor.value);
  }
  const stack = attempt(() => thrown.stack);
  const envelope: {
    -readonly [K in keyof ErrorEnvelope]: ErrorEnvelope[K];
  } = {
    name,
    className,
    known: known !== undefined && Object.getPrototypeOf(thrown) === known.prototype,
    message: readText(thrown, 'message'),
    stack: 'value' in stack && typeof stack.value === 'string' ? stack.value : undefined,
    props,
  };
  // A proxy's traps may throw: the class then travels by name only.
  if (!envelope.known) attempt(() => rememberClass(envelope, thrown));
  if (Object.hasOwn(thrown, 'cause')) {
    const cause = attempt(() => thrown.cause);
    envelope.cause =
      'value' in cause
        ? carry(cause.value, depth + 1, seen)
        : { value: `[reading \`cause\` threw ${describeThrown(cause.error)}]` };
  }
  const errors = attempt(() => (thrown instanceof AggregateError ? thrown.errors : undefined));
  if ('value' in errors && Array.isArray(errors.value)) {
    envelope.errors = errors.value.map((inner: unknown) => carry(inner, depth + 1, seen));
  }
  return { error: envelope };
}

/** Runs a read that may throw (a getter), returning its value or what it threw. */
function attempt<T>(read: () => T): { value: T } | { error: unknown } {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
}

/** An error's `name` or `message` as text, or a description of why it could not be read. */
function readText(error: Error, key: 'name' | 'message'): string {
  const read = attempt(() => String(error[key]));
  return 'value' in read ? read.value : `[reading \`${key}\` threw ${describeThrown(read.error)}]`;
}

/** What a failed read threw, for a description: "TypeError: no cause here". */
function describeThrown(thrown: unknown): string {
  if (isError(thrown)) {
    const text = attempt(() => `${String(thrown.name)}: ${String(thrown.message)}`);
    if ('value' in text) return text.value;
  }
  return describeKind(thrown);
}

/** Puts a carried value back together: an envelope becomes an `Error` of the same class. */
export function restore(carried: Carried): unknown {
  return 'error' in carried ? restoreError(carried.error) : carried.value;
}

/** Rebuilds an error from its envelope, keeping message, stack, cause, own properties and class. */
export function restoreError(envelope: ErrorEnvelope): Error {
  const known = envelope.known ? KNOWN.get(envelope.className) : undefined;
  let error: Error;
  if (known !== undefined && BUILTIN_ERRORS.includes(known as ErrorConstructor)) {
    error =
      known === AggregateError
        ? new AggregateError((envelope.errors ?? []).map(restore), envelope.message)
        : new (known as ErrorConstructor)(envelope.message);
  } else {
    // A selfsame error is rebuilt without running its constructor, whose parameters differ per
    // class: its fields (`code`, `exitCode`...) arrive as own properties below.
    // A user's class found again by reference is rebuilt the same way (error-classes.ts).
    const own = known === undefined ? referencedClass(envelope) : undefined;
    const Class = known ?? own ?? namedErrorClass(envelope.className);
    error = Object.create(Class.prototype) as Error;
    hide(error, 'message', envelope.message);
    if (known === undefined) noteRebuild(error, envelope, own);
    if (known === undefined && own === undefined) hide(error, 'name', envelope.name);
  }
  if (error.name !== envelope.name) hide(error, 'name', envelope.name);
  hide(error, 'stack', envelope.stack ?? `${envelope.name}: ${envelope.message}`);
  if (envelope.cause !== undefined) hide(error, 'cause', restore(envelope.cause));
  for (const [key, value] of Object.entries(envelope.props)) {
    Object.defineProperty(error, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return error;
}

/** Describes a value's kind for a message, naming an object's class: "an object of class `Promise`". */
export function describeKind(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return describeValue(value);
  }
  const name = constructorName(value);
  return name !== undefined && name !== 'Object' ? `an object of class \`${name}\`` : 'an object';
}

/**
 * Describes a value that structured clone refused, naming the member at fault when the value is
 * a container: "an object whose `callback` is an anonymous function". Only own data properties
 * are read, so no getter runs; two levels deep at most.
 */
export function describeUncloneable(value: unknown, depth = 0): string {
  const kind = describeKind(value);
  if (typeof value !== 'object' || value === null || depth >= 2) return kind;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor)) continue;
    if (!isCloneable(descriptor.value)) {
      const where = Array.isArray(value) ? `item ${key}` : `\`${key}\``;
      return `${kind} whose ${where} is ${describeUncloneable(descriptor.value, depth + 1)}`;
    }
  }
  return kind;
}

function isCloneable(value: unknown): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  if (typeof value !== 'object' || value === null) return true;
  try {
    structuredClone(value);
    return true;
  } catch {
    // The refusal is the answer asked for; its message is reported by the caller's own error.
    return false;
  }
}

const namedClasses = new Map<string, Function>();

/** A class named like the worker's own error class, so that `constructor.name` survives. */
function namedErrorClass(name: string): Function {
  let Class = namedClasses.get(name);
  if (Class === undefined) {
    Class = { [name]: class extends Error {} }[name] as Function;
    namedClasses.set(name, Class);
  }
  return Class;
}

function hide(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

/**
 * A real error: an `Error` instance of this realm, or a native error of another (a `vm`
 * context). `Object.prototype.toString` is not asked: any object can claim to be an error with
 * `Symbol.toStringTag`, and would then come back as an `Error` named after its class.
 */
function isError(value: unknown): value is Error & { cause?: unknown } {
  return value instanceof Error || types.isNativeError(value);
}

function classNameOf(error: Error): string {
  return constructorName(error) ?? 'Error';
}

/** The name of the class an object was made by, read from descriptors so no getter runs. */
function constructorName(value: object): string | undefined {
  const prototype = Object.getPrototypeOf(value) as object | null;
  const name: unknown = prototype === null ? undefined : ownConstructor(prototype)?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * A property or thrown value that structured clone refuses (a function, a symbol) would fail the
 * whole response, so it is replaced by a description of itself: the data is lost on purpose and
 * the description says what it was.
 */
function cloneableOrDescribed(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return typeof value === 'symbol' ? `[uncloneable: ${describeValue(value)}]` : value;
  }
  try {
    structuredClone(value);
    return value;
  } catch (error) {
    return `[uncloneable: ${describeKind(value)}: ${(error as Error).message}]`;
  }
}
