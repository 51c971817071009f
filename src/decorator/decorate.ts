/**
 * The step every call shape of a `createDecorator` decorator ends in: run the wrapper factory,
 * then give the wrapper its identity.
 */

import type { AnyFunction } from '../identity.js';
import {
  type CallerFrames,
  type DecorationSite,
  decorationSite,
  UNKNOWN_SITE,
} from '../internal/call-site.js';
import { defineHidden } from '../internal/define.js';
import { describeValue, ownName } from '../internal/describe.js';
import { MODULE_KEY, QUALNAME_KEY } from '../internal/keys.js';
import { hasOwnSlot, ownData } from '../internal/own-data.js';
import { segmentOf } from '../qualname.js';
import { updateWrapper } from '../wraps.js';
import { isProvisional, markProvisional } from './member-qualname.js';
import type { DecorationContext, DecoratorKind, WrapperFactory } from './types.js';

/** Where one decoration applies: the fields of a {@link DecorationContext} its call shape knows. */
export type Position = Omit<DecorationContext<unknown>, 'decorator' | 'options'>;

/** A decorator's fixed parts, as {@link createDecorator} checked them. */
export interface DecoratorSpec<Options> {
  readonly name: string;
  readonly factory: WrapperFactory<Options>;
  readonly kinds: readonly DecoratorKind[];
  /**
   * The public function that applies it (the decorator, or the one `dec(options)` returned): the
   * decoration site is read from the frames below it.
   */
  readonly entry: Function;
}

/** One call of a decorator: what it is, the options it was configured with, and where it ran. */
export interface DecoratorCall<Options> {
  readonly spec: DecoratorSpec<Options>;
  readonly options: Options;
  /** The first frames below the decorator, when it read them (see {@link mayNeedSite}). */
  readonly frames: CallerFrames | undefined;
}

/** The frozen context a wrapper factory is told, in the fields' documented order. */
export function makeContext<Options>(
  { spec, options }: DecoratorCall<Options>,
  position: Position,
): DecorationContext<Options> {
  return Object.freeze({
    decorator: spec.name,
    kind: position.kind,
    name: position.name,
    static: position.static,
    private: position.private,
    owner: position.owner,
    mode: position.mode,
    options,
  });
}

/**
 * Where the decoration of `fns` (a function, or an accessor's getter and setter) was applied,
 * read from the call stack only when one of them lacks a qualname or a module of its own, or
 * carries a provisional qualname (whose `<locals>` prefix the site gives): a function that
 * already carries both, as a registered function or a wrapper from another selfsame decorator
 * does, takes nothing from the site, and reading the stack was about half of a decoration.
 */
export function siteOf<Options>(
  { spec, frames }: DecoratorCall<Options>,
  fns: readonly unknown[],
  member: boolean,
): DecorationSite {
  return fns.every(isKnown) ? UNKNOWN_SITE : decorationSite(spec.entry, member, frames);
}

/**
 * {@link siteOf} for a plain or standard decoration, whose one function is the decorator's first
 * argument: there the decorator's own answer ({@link mayNeedSite}) is exact and is not asked
 * again, and the frames it read are the site's (none where the runtime has no structured stack).
 */
export function siteOfFirstArgument<Options>(
  { spec, frames }: DecoratorCall<Options>,
  member: boolean,
): DecorationSite {
  return frames === undefined ? UNKNOWN_SITE : decorationSite(spec.entry, member, frames);
}

/**
 * Whether a function among a decorator's `args` may need its decoration site, so that the
 * decorator the user called reads the stack's first frames itself (see create-decorator.ts).
 * Exact for a plain or standard call (the function is the first argument). It runs none of the
 * caller's code: a legacy descriptor's slots are read through their own descriptors, and a
 * function it misses there (one held behind a getter) is read for later, by {@link siteOf}.
 */
export function mayNeedSite(args: readonly unknown[]): boolean {
  const [first, , descriptor] = args;
  if (args.length === 3 && typeof descriptor === 'object' && descriptor !== null) {
    return !(
      isKnown(ownData(descriptor, 'value')) &&
      isKnown(ownData(descriptor, 'get')) &&
      isKnown(ownData(descriptor, 'set'))
    );
  }
  return !isKnown(first);
}

function isKnown(fn: unknown): boolean {
  return (
    typeof fn !== 'function' ||
    (hasOwnSlot(fn, QUALNAME_KEY) && hasOwnSlot(fn, MODULE_KEY) && !isProvisional(fn))
  );
}

/**
 * Runs the factory and gives its wrapper its identity: first the `<decorator>.<locals>.wrapper`
 * qualname that marks a wrapper nobody updated, then everything {@link updateWrapper} copies,
 * then the decoration site for what the function itself does not carry.
 */
export function decorate<Options>(
  spec: DecoratorSpec<Options>,
  fn: AnyFunction,
  context: DecorationContext<Options>,
  site: DecorationSite,
  qualname: string | undefined,
): AnyFunction {
  const wrapper = spec.factory(fn, context);
  if (typeof wrapper !== 'function') {
    throw new TypeError(
      `Expected the factory of \`${spec.name}\` to return a function, got ${describeValue(wrapper)}`,
    );
  }
  if (wrapper === fn) {
    // Left undecorated (for example `enabled: false`): the function itself is the result, and it
    // learns only what it lacks.
    if (Object.isExtensible(fn)) recordSite(fn, fn, site, qualname);
    return fn;
  }
  // The marker is skipped when `fn` carries a qualname: updateWrapper copies it over the marker,
  // and a definition costs a tenth of a decoration.
  if (!hasOwnSlot(wrapper, QUALNAME_KEY) && !hasOwnSlot(fn, QUALNAME_KEY)) {
    const own = segmentOf(ownName(wrapper));
    const inner = own === '<lambda>' ? 'wrapper' : own;
    defineHidden(wrapper, QUALNAME_KEY, `${spec.name}.<locals>.${inner}`, 'the qualname');
  }
  if (context.kind === 'class') updateClassWrapper(wrapper, fn);
  else updateWrapper(wrapper, fn);
  if (qualname === undefined) {
    // A standard instance or static member: its class is not known yet (see settleLater in
    // decorate-standard.ts).
    recordSite(wrapper, fn, site, segmentOf(context.name));
    markProvisional(wrapper, fn);
  } else {
    recordSite(wrapper, fn, site, qualname);
  }
  return wrapper;
}

/**
 * A class's wrapper: a subclass inherits the static members, so copying them would only leave
 * stale snapshots beside the live ones (the metadata is still copied); a plain function wrapper
 * gets them copied, and shares the class's prototype so that `instanceof` holds both ways.
 */
function updateClassWrapper(wrapper: Function, fn: Function): void {
  if (Object.getPrototypeOf(wrapper) === fn) {
    updateWrapper(wrapper, fn, { updated: ['metadata'] });
    return;
  }
  updateWrapper(wrapper, fn);
  if (Object.getOwnPropertyDescriptor(wrapper, 'prototype')?.writable === true) {
    wrapper.prototype = fn.prototype;
  }
}

/** Records the qualname and module on `target` unless `wrapped` already carried its own. */
function recordSite(
  target: Function,
  wrapped: Function,
  site: DecorationSite,
  qualname: string | undefined,
): void {
  if (qualname !== undefined && !hasOwnSlot(wrapped, QUALNAME_KEY)) {
    defineHidden(target, QUALNAME_KEY, qualname, 'the qualname');
  }
  if (site.module !== undefined && !hasOwnSlot(wrapped, MODULE_KEY)) {
    defineHidden(target, MODULE_KEY, site.module, 'the module');
  }
}
