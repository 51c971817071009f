/**
 * Which path of a module holds a function: its own qualname when that leads to it, else the
 * first path that holds the very function object, found by searching the exports, then the
 * static members of exported classes and objects, to the qualname depth limit. Bundlers and
 * minifiers rename functions (esbuild's `countWords2`, `_Tasks`): the object, not its name,
 * says where it is exported. `toReference` and `fromReference` use the same rule, so they agree
 * on the one path that names a function.
 */
import { isIdentifier, MAX_WALKABLE_SEGMENTS, walkableProblem } from '../qualname.js';
import { util } from './node.js';
import { DENIED_SEGMENTS, walk } from './walk.js';

/** How a function's path was found: its qualname (recorded, or its name), or by the search. */
export type FoundBy = 'qualname' | 'search';

/** A path that holds the function, and how it was found. */
export interface Found {
  readonly segments: readonly string[];
  readonly by: FoundBy;
}

/**
 * The most properties one search reads: a module exporting a large object graph is searched
 * only this far, so that the search stays bounded (about a millisecond).
 */
export const MAX_SEARCHED_PROPERTIES = 10_000;

/** The path that names `fn` in `namespace`: `qualname` when it leads to `fn`, else a search. */
export function findExport(fn: Function, namespace: object, qualname: string): Found | undefined {
  if (walkableProblem(qualname) === undefined) {
    const segments = qualname.split('.');
    if (!segments.some((s) => DENIED_SEGMENTS.includes(s))) {
      const step = walk(namespace, segments);
      if (step.ok && step.value === fn) return { segments, by: 'qualname' };
    }
  }
  const segments = searchExports(fn, namespace);
  return segments === undefined ? undefined : { segments, by: 'search' };
}

/**
 * The first path, breadth first (exports in the namespace's order, then their own members),
 * whose value is `fn`. Reads own data properties only, never a getter, never through a Proxy,
 * never `prototype` (an instance method cannot travel), never into arrays or typed arrays.
 */
export function searchExports(fn: Function, namespace: object): string[] | undefined {
  const { isProxy } = util().types;
  const seen = new Set<object>([namespace]);
  let level: [string[], object][] = [[[], namespace]];
  let budget = MAX_SEARCHED_PROPERTIES;
  for (let depth = 1; depth <= MAX_WALKABLE_SEGMENTS && level.length > 0; depth++) {
    const next: [string[], object][] = [];
    for (const [path, holder] of level) {
      const keys = holder === namespace ? Object.keys(holder) : Object.getOwnPropertyNames(holder);
      for (const key of keys) {
        if (--budget < 0) return undefined;
        if (!isIdentifier(key) || DENIED_SEGMENTS.includes(key)) continue;
        let descriptor: PropertyDescriptor | undefined;
        try {
          descriptor = Object.getOwnPropertyDescriptor(holder, key);
        } catch {
          // A binding not initialised yet (a circular import): it holds nothing to find.
          continue;
        }
        if (descriptor === undefined || !('value' in descriptor)) continue;
        const value: unknown = descriptor.value;
        const segments = [...path, key];
        if (value === fn) {
          return walkableProblem(segments.join('.')) === undefined ? segments : undefined;
        }
        if (
          (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
          !seen.has(value) &&
          !isProxy(value) &&
          !Array.isArray(value) &&
          !ArrayBuffer.isView(value)
        ) {
          seen.add(value);
          next.push([segments, value]);
        }
      }
    }
    level = next;
  }
  return undefined;
}
