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

/** Walks `segments` from `start`; never throws for anything the walked objects do. */
export function walk(start: object, segments: readonly string[]): WalkResult {
  const { isProxy } = util().types;
  let current: unknown = start;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as string;
    const at = segments.slice(0, index + 1).join('.');
    if ((typeof current !== 'object' && typeof current !== 'function') || current === null) {
      return { ok: false, reason: 'primitive', at };
    }
    if (isProxy(current)) return { ok: false, reason: 'proxy', at };
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(current, segment);
    } catch (cause) {
      // Only a module namespace throws here: its binding is not initialised yet (TDZ), which
      // happens while a circular import is still evaluating.
      return { ok: false, reason: 'uninitialized', at, cause };
    }
    if (descriptor === undefined) return { ok: false, reason: 'missing', at };
    if (!('value' in descriptor)) return { ok: false, reason: 'accessor', at };
    current = descriptor.value;
  }
  if (typeof current === 'function' && isProxy(current)) {
    return { ok: false, reason: 'proxy', at: segments.join('.') };
  }
  return { ok: true, value: current };
}
