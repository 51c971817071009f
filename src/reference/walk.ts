/**
 * The hardened walk from a module namespace to a function, segment by segment: own data
 * properties only, a deny list, no getters run, no Proxy traps triggered.
 */
import { util } from './node.js';

/** Segments never walked: each leads to `Function`, to a prototype, or to a thenable trap. */
export const DENIED_SEGMENTS: readonly string[] = [
  '__proto__',
  'prototype',
  'constructor',
  'caller',
  'arguments',
  'then',
];

/** Why a walk stopped, or the value it reached. */
export type WalkResult =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      /** `missing`: no own property; `accessor`: a getter/setter; `proxy`; `primitive`: a step through a non-object; `uninitialized`: a TDZ binding. */
      readonly reason: 'missing' | 'accessor' | 'proxy' | 'primitive' | 'uninitialized';
      /** The dotted path up to and including the segment that failed. */
      readonly at: string;
      readonly cause?: unknown;
    };

/**
 * Walks `segments` from `namespace`, a module namespace object (checked by the loader); never
 * throws for anything the walked objects do.
 */
export function walk(namespace: object, segments: readonly string[]): WalkResult {
  const { isProxy } = util().types;
  let current: unknown;
  const first = segments[0] as string;
  try {
    // A namespace has no accessors and no prototype, so a plain read runs no code and finds
    // only exports; it is much faster than a descriptor read on this exotic object.
    current = (namespace as Record<string, unknown>)[first];
  } catch (cause) {
    // Only an uninitialised binding (TDZ) throws here: a circular import that has not finished.
    return fail('uninitialized', segments, 0, cause);
  }
  if (current === undefined && !Object.hasOwn(namespace, first)) {
    return fail('missing', segments, 0);
  }
  for (let index = 1; index < segments.length; index++) {
    if ((typeof current !== 'object' && typeof current !== 'function') || current === null) {
      return fail('primitive', segments, index);
    }
    if (isProxy(current)) return fail('proxy', segments, index);
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(current, segments[index] as string);
    } catch (cause) {
      // Another module's namespace, exported as a value, with a binding not initialised yet.
      return fail('uninitialized', segments, index, cause);
    }
    if (descriptor === undefined) return fail('missing', segments, index);
    if (!('value' in descriptor)) return fail('accessor', segments, index);
    current = descriptor.value;
  }
  if (typeof current === 'function' && isProxy(current)) {
    return fail('proxy', segments, segments.length - 1);
  }
  return { ok: true, value: current };
}

function fail(
  reason: 'missing' | 'accessor' | 'proxy' | 'primitive' | 'uninitialized',
  segments: readonly string[],
  index: number,
  cause?: unknown,
): WalkResult {
  const at = segments.slice(0, index + 1).join('.');
  return cause === undefined ? { ok: false, reason, at } : { ok: false, reason, at, cause };
}

/**
 * What would make settling a promise with `fn` run code: a `then` anywhere on its prototype
 * chain (the promise machinery would call it), or a Proxy on that chain, whose traps even an
 * `in` check would run. Each object is checked for being a Proxy before anything is read.
 */
export function thenHazard(fn: Function): 'then' | 'proxy' | undefined {
  const { isProxy } = util().types;
  for (let current: object | null = fn; current !== null; ) {
    if (isProxy(current)) return 'proxy';
    if (Object.getOwnPropertyDescriptor(current, 'then') !== undefined) return 'then';
    current = Object.getPrototypeOf(current) as object | null;
  }
  return undefined;
}
