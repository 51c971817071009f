/**
 * Where a function's identity lives: its `name`, its qualified name, its module, its doc and the
 * function it wraps. JavaScript functions carry only `name`; the rest is kept in hidden
 * `Symbol.for('selfsame.*')` slots on the function itself, so it travels with the function and is
 * shared by every copy of selfsame in the process.
 *
 * @packageDocumentation
 */

import { checkFunction, checkKnownKeys, checkOptions } from './internal/check.js';
import { defineHidden } from './internal/define.js';
import { describeValue, ownName } from './internal/describe.js';
import { DOC_KEY, MODULE_KEY, QUALNAME_KEY, WRAPPED_KEY } from './internal/keys.js';
import { metaUrl, ownData } from './internal/own-data.js';
import { isQualname, MAX_QUALNAME_LENGTH } from './qualname.js';

/** Any function or class constructor. */
// biome-ignore lint/suspicious/noExplicitAny: the widest function type, as `Function` but callable.
export type AnyFunction = (...args: any[]) => any;

/** A function's identity, as {@link identityOf} reports it. */
export interface Identity {
  /** The function's own `name` (`''` when it has none). */
  readonly name: string;
  /** The dotted path from its module's top level, as Python's `__qualname__`; `name` when unknown. */
  readonly qualname: string;
  /** Where it was defined: a `file:` URL or a package specifier; `undefined` when unknown. */
  readonly module: string | undefined;
  /** Its documentation string; `undefined` when unknown. */
  readonly doc: string | undefined;
  /** The function it wraps, as set by {@link updateWrapper}; `undefined` when it wraps nothing. */
  readonly wrapped: AnyFunction | undefined;
}

/** The part of `import.meta` that {@link defineIdentity} reads. */
export interface ImportMetaLike {
  /** The module's own URL. */
  readonly url: string;
}

/** What {@link defineIdentity} can set. A key left out, or `undefined`, is left as it is. */
export interface IdentityInit {
  /** A dotted path such as `Task.run` or `outer.<locals>.inner`. */
  readonly qualname?: string | undefined;
  /** A `file:` URL or package specifier, or the caller's `import.meta` (its `url` is taken). */
  readonly module?: string | ImportMetaLike | undefined;
  /** Free text documenting the function. */
  readonly doc?: string | undefined;
}

const MAX_MODULE_LENGTH = 2048;
// A module id is one token of printable ASCII: file URLs percent-encode everything else, and a
// look-alike character cannot pass for another.
const MODULE_SHAPE = /^[!-~]+$/;

/**
 * Reads a function's identity without running any of its code: an accessor found in one of
 * selfsame's slots is ignored, never called.
 *
 * @param fn - the function to describe
 * @returns its name, qualname (falling back to `name`), module, doc and wrapped function
 * @throws TypeError when `fn` is not a function
 * @example
 * ```ts
 * const task = defineIdentity(function task() {}, { module: import.meta });
 * identityOf(task); // { name: 'task', qualname: 'task', module: 'file:///…/task.js', doc: undefined, wrapped: undefined }
 * ```
 */
export function identityOf(fn: AnyFunction | Function): Identity {
  checkFunction(fn, 'fn');
  const name = ownName(fn);
  const qualname = ownData(fn, QUALNAME_KEY);
  const module = ownData(fn, MODULE_KEY);
  const doc = ownData(fn, DOC_KEY);
  const wrapped = ownData(fn, WRAPPED_KEY);
  return {
    name,
    qualname: typeof qualname === 'string' ? qualname : name,
    module: typeof module === 'string' ? module : undefined,
    doc: typeof doc === 'string' ? doc : undefined,
    wrapped: typeof wrapped === 'function' ? (wrapped as AnyFunction) : undefined,
  };
}

/**
 * Sets any of a function's qualname, module and doc explicitly, after validating them.
 *
 * @param fn - the function to describe
 * @param init - the fields to set; a field left out or `undefined` is kept
 * @returns `fn` itself, with its type unchanged
 * @throws TypeError when `fn` is not a function or a field is malformed, naming the field and
 *   the value received
 * @throws {@link WrapperPropertyError} when `fn` is frozen or otherwise not extensible
 * @example
 * ```ts
 * export const add = defineIdentity((x: number, y: number) => x + y, {
 *   qualname: 'add',
 *   module: import.meta,
 *   doc: 'Adds two numbers.',
 * });
 * ```
 */
export function defineIdentity<F extends AnyFunction | Function>(fn: F, init: IdentityInit): F {
  checkFunction(fn, 'fn');
  checkOptions(init, 'init');
  if (init === undefined) throw new TypeError('Expected `init` to be an object, got `undefined`');
  checkKnownKeys(init, 'init', ['qualname', 'module', 'doc']);
  const qualname =
    init.qualname === undefined ? undefined : checkQualname(init.qualname, 'init.qualname');
  const module = init.module === undefined ? undefined : checkModule(init.module, 'init.module');
  if (init.doc !== undefined && typeof init.doc !== 'string') {
    throw new TypeError(`Expected \`init.doc\` to be a string, got ${describeValue(init.doc)}`);
  }
  if (qualname !== undefined) defineHidden(fn, QUALNAME_KEY, qualname, 'the qualname');
  if (module !== undefined) defineHidden(fn, MODULE_KEY, module, 'the module');
  if (init.doc !== undefined) defineHidden(fn, DOC_KEY, init.doc, 'the doc');
  return fn;
}

/**
 * Validates a qualname: dot-separated segments, each an ASCII identifier, a private name or a
 * `<marker>`. Returns it unchanged.
 *
 * @internal
 */
export function checkQualname(value: unknown, argument: string): string {
  if (typeof value !== 'string' || !isQualname(value)) {
    throw new TypeError(
      `Expected \`${argument}\` to be a qualified name such as \`Task.run\` (dot-separated identifiers, at most ${MAX_QUALNAME_LENGTH} characters), got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Validates a module: a non-empty token without white space, or an `import.meta`-like object
 * whose `url` is one. Returns the string.
 *
 * @internal
 */
export function checkModule(value: unknown, argument: string): string {
  let url: unknown = value;
  let named = argument;
  if (typeof value === 'object' && value !== null) {
    url = metaUrl(value);
    named = `${argument}.url`;
  }
  if (typeof url !== 'string' || url.length > MAX_MODULE_LENGTH || !MODULE_SHAPE.test(url)) {
    throw new TypeError(
      `Expected \`${named}\` to be a module URL or package specifier (printable ASCII, no white space, at most ${MAX_MODULE_LENGTH} characters), got ${describeValue(url)}`,
    );
  }
  return url;
}
