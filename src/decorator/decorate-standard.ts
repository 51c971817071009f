/**
 * A `createDecorator` decorator applied as a TC39 standard decorator `(value, context)`: on a
 * method, getter, setter or class. A member's class does not exist yet when it is decorated, so
 * its `Class.member` qualname is settled later, by an initializer.
 */

import { DecoratorPositionError, DecoratorUsageError } from '../errors.js';
import type { AnyFunction } from '../identity.js';
import type { DecorationSite } from '../internal/call-site.js';
import { describeArguments, describeValue, ownName } from '../internal/describe.js';
import { metadataSymbol } from '../internal/metadata.js';
import { ownConstructor, ownData } from '../internal/own-data.js';
import { segmentOf } from '../qualname.js';
import { type DecoratorCall, decorate, makeContext, siteOfFirstArgument } from './decorate.js';
import { localName, memberQualname, nameProvisionally, settleQualname } from './member-qualname.js';
import { acceptedKinds, checkKind, kindWord, positionOf } from './position.js';
import type { DecorationContext } from './types.js';

/** The part of a standard decorator context read here. */
export interface StandardContext {
  readonly kind?: unknown;
  readonly name?: unknown;
  readonly static?: unknown;
  readonly private?: unknown;
  readonly metadata?: unknown;
  readonly addInitializer?: (initializer: (this: unknown) => void) => void;
}

export function decorateStandard<Options>(
  call: DecoratorCall<Options>,
  value: unknown,
  standard: StandardContext,
): unknown {
  const { spec } = call;
  const { kind } = standard;
  if (typeof kind !== 'string') {
    throw new DecoratorUsageError(
      `\`${spec.name}\` was called with ${describeArguments([value, standard])}, but the second argument is not a standard decorator context: it has no string \`kind\``,
    );
  }
  const isStatic = standard.static === true;
  const isPrivate = standard.private === true;
  const memberName =
    typeof standard.name === 'string' || typeof standard.name === 'symbol'
      ? standard.name
      : undefined;
  if (kind !== 'method' && kind !== 'getter' && kind !== 'setter' && kind !== 'class') {
    throw new DecoratorPositionError(
      `\`@${spec.name}\` cannot be applied to ${positionOf(kindWord(kind), memberName, isStatic, isPrivate)}: it applies to ${acceptedKinds(spec)}`,
    );
  }
  if (typeof value !== 'function') {
    throw new DecoratorUsageError(
      `\`${spec.name}\` was called as a standard decorator of a ${kind}, but the value decorated is ${describeValue(value)}, not a function`,
    );
  }
  const fn = value as AnyFunction;
  const name = memberName ?? ownName(fn);
  const context = makeContext(call, {
    kind,
    name,
    static: isStatic,
    private: isPrivate,
    owner: undefined,
    mode: 'standard',
  });
  checkKind(spec, context, () => positionOf(kind, name, isStatic, isPrivate));
  const site = siteOfFirstArgument(call, true);
  if (kind === 'class') return decorate(spec, fn, context, site, localName(site, segmentOf(name)));
  const wrapper = decorate(spec, fn, context, site, undefined);
  if (wrapper !== fn && typeof standard.addInitializer === 'function') {
    settleLater(standard, wrapper, context, site);
  }
  return wrapper;
}

/**
 * Gives a standard member's wrapper its `Class.member` qualname once the class exists: a static
 * member's initializer runs while the class is defined, an instance member's at the start of the
 * first construction (later constructions only test a flag).
 */
function settleLater<Options>(
  standard: StandardContext,
  wrapper: AnyFunction,
  context: DecorationContext<Options>,
  site: DecorationSite,
): void {
  let settled = false;
  const { metadata } = standard;
  // Called on the context object, in case a runtime's `addInitializer` needs its receiver.
  standard.addInitializer?.(function (this: unknown) {
    if (settled) return;
    const owner = context.static
      ? (this as Function)
      : ownerOfInstance(this, metadata, context.name, wrapper);
    if (owner === undefined) return;
    settled = true;
    const qualname = () =>
      localName(site, memberQualname(segmentOf(ownName(owner)), context.kind, context.name));
    if (!context.static) {
      settleQualname(wrapper, qualname());
      return;
    }
    // esbuild (and so tsx) runs static initializers while the class is still bound to a
    // temporary name and names it only afterwards, in the same synchronous code
    // (`__runInitializers(_init, 3, _Tasks); __name(_Tasks, "Tasks")`): name the member now,
    // and settle it once that code has run, with the name the class ended up with.
    nameProvisionally(wrapper, qualname());
    queueMicrotask(() => settleQualname(wrapper, qualname()));
  });
}

/**
 * The class that defined a standard instance member, found from an instance: the class on the
 * prototype chain that owns the decorators' metadata object; failing that (no `Symbol.metadata`,
 * or a class decorator that replaced the class and took the metadata with it), the class whose
 * prototype holds the wrapper, or, for a private member, the instance's class when it has no
 * other class above it.
 */
function ownerOfInstance(
  instance: unknown,
  metadata: unknown,
  name: string | symbol,
  wrapper: Function,
): Function | undefined {
  if (typeof instance !== 'object' || instance === null) return undefined;
  const first: object | null = Object.getPrototypeOf(instance);
  const symbol = metadataSymbol();
  if (metadata !== undefined && symbol !== undefined) {
    for (let proto = first; proto !== null; proto = Object.getPrototypeOf(proto)) {
      const owner = ownConstructor(proto);
      if (owner !== undefined && ownData(owner, symbol) === metadata) return owner;
    }
  }
  for (let proto = first; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const member = Object.getOwnPropertyDescriptor(proto, name);
    if (member?.value === wrapper || member?.get === wrapper || member?.set === wrapper) {
      return ownConstructor(proto);
    }
  }
  if (first !== null && Object.getPrototypeOf(first) === Object.prototype) {
    return ownConstructor(first);
  }
  return undefined;
}
