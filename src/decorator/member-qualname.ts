/**
 * The qualnames `createDecorator` gives what it decorates: `Class.member` segments, the
 * `<enclosing>.<locals>.` prefix, and the provisional qualnames of standard members, settled
 * once their class exists.
 */

import type { DecorationSite } from '../internal/call-site.js';
import { QUALNAME_KEY } from '../internal/keys.js';
import { hasOwnSlot, wrappedOf } from '../internal/own-data.js';
import { isMemberName } from '../qualname.js';
import type { DecoratorKind } from './types.js';

/**
 * Functions whose qualname selfsame set before their class was known (a standard decorator on an
 * instance member): settled when the class is first constructed. A private side table, since only
 * this copy of selfsame settles them.
 */
const provisional = new WeakSet<Function>();

/** Marks `wrapper`'s qualname provisional when `fn` has no qualname of its own or a provisional one. */
export function markProvisional(wrapper: Function, fn: Function): void {
  if (!hasOwnSlot(fn, QUALNAME_KEY) || provisional.has(fn)) provisional.add(wrapper);
}

/** Whether `fn`'s qualname was set by this copy of selfsame before its class was known. */
export function isProvisional(fn: Function): boolean {
  return provisional.has(fn);
}

/** Replaces the provisional qualname down the chain of wrappers this copy of selfsame built. */
export function settleQualname(wrapper: Function, qualname: string): void {
  renameChain(wrapper, qualname, { settle: true });
}

/** Gives the chain of provisional wrappers `qualname` for now, leaving it open to a later settle. */
export function nameProvisionally(wrapper: Function, qualname: string): void {
  renameChain(wrapper, qualname, { settle: false });
}

function renameChain(wrapper: Function, qualname: string, { settle }: { settle: boolean }): void {
  let current: Function | undefined = wrapper;
  while (current !== undefined && provisional.has(current)) {
    if (settle) provisional.delete(current);
    // Runs inside the user's constructor: a wrapper frozen since keeps its provisional name
    // rather than failing the construction.
    const slot = { value: qualname, writable: false, enumerable: false, configurable: true };
    if (!Reflect.defineProperty(current, QUALNAME_KEY, slot)) return;
    current = wrappedOf(current);
  }
}

/** `Class.member`, `Class.#member`, `Class.member.<get>` or `Class.member.<set>`. */
export function memberQualname(owner: string, kind: DecoratorKind, key: string | symbol): string {
  const member = typeof key === 'symbol' ? '<symbol>' : isMemberName(key) ? key : '<computed>';
  const suffix = kind === 'getter' ? '.<get>' : kind === 'setter' ? '.<set>' : '';
  return `${owner}.${member}${suffix}`;
}

/** Prefixes `<enclosing>.<locals>.` when the decoration ran inside a function body. */
export function localName(site: DecorationSite, qualname: string): string {
  return site.enclosing === undefined ? qualname : `${site.enclosing}.<locals>.${qualname}`;
}
