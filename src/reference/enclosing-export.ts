/**
 * Names a local object as pickle does (`outer.<locals>.inner.<locals>.wrapper`): from the
 * functions V8 says it closes over, and from the exported function, or static or instance
 * method of an exported class, whose source text contains its definition.
 */
import { ownData } from '../internal/own-data.js';
import { locate, offsetOf, scriptSource } from './locate.js';
import { util } from './node.js';

const sourceOf = Function.prototype.toString;

/**
 * The pickle-style qualname of `fn` as a local object (`naive.<locals>.wrapper`), or
 * `undefined` when nothing says it was defined inside another function. `name` is its own
 * name; `closureNames` are the functions V8 says it closes over, outermost first (see
 * `closureNames` in `locate.ts`); `namespace` is searched for the exported function whose
 * source contains it, which also names the outermost function when its variables are not
 * captured, and gives a method its class (`Factory.make`).
 */
export function localQualname(
  fn: Function,
  name: string,
  namespace: object,
  closureNames: readonly string[],
): string | undefined {
  const closures = closureNames.map((closure) => closure || '<anonymous>');
  const exported = enclosingExport(fn, namespace);
  if (exported !== undefined) {
    const method = exported.slice(exported.lastIndexOf('.') + 1);
    const at = closures.indexOf(method);
    // The exported function is one of the closures (named by its whole path), or encloses them.
    closures.splice(0, at === -1 ? 0 : at + 1, exported);
  }
  if (closures.length === 0) return undefined;
  return [...closures, name || '<anonymous>'].join('.<locals>.');
}

/**
 * The qualname of the exported function, or of the static or instance method of an exported
 * class, whose source most closely contains `fn`'s definition, if any.
 */
export function enclosingExport(fn: Function, namespace: object): string | undefined {
  const inner = locate(fn);
  if (inner === undefined) return undefined;
  const source = scriptSource(inner.scriptId);
  const at = offsetOf(source, inner.lineNumber, inner.columnNumber);
  let best: { name: string; length: number } | undefined;
  for (const [name, candidate] of candidatesOf(namespace)) {
    if (candidate === fn) continue;
    const span = spanOf(candidate, source, inner.scriptId);
    if (span === undefined || !(span.start < at && at < span.end)) continue;
    if (best === undefined || span.end - span.start < best.length) {
      best = { name, length: span.end - span.start };
    }
  }
  return best?.name;
}

/** Exported functions, and the static and prototype methods of exported classes, by qualname. */
function* candidatesOf(namespace: object): Generator<[string, Function]> {
  const { isProxy } = util().types;
  for (const name of Object.keys(namespace)) {
    const exported = ownData(namespace, name);
    if (typeof exported !== 'function' || isProxy(exported)) continue;
    yield [name, exported];
    for (const holder of [exported, ownData(exported, 'prototype')]) {
      if ((typeof holder !== 'object' && typeof holder !== 'function') || holder === null) continue;
      if (isProxy(holder)) continue;
      for (const key of Object.getOwnPropertyNames(holder)) {
        const member = key === 'constructor' ? undefined : ownData(holder, key);
        if (typeof member === 'function' && !isProxy(member)) yield [`${name}.${key}`, member];
      }
    }
  }
}

/**
 * Where `candidate`'s source text lies in `source`: found by the text itself when it occurs
 * once, else from V8's location of the function (which points at its parameter list, at or after
 * the start of its text).
 */
function spanOf(
  candidate: Function,
  source: string,
  scriptId: string,
): { start: number; end: number } | undefined {
  const text = sourceOf.call(candidate);
  const first = source.indexOf(text);
  if (first === -1) return undefined;
  if (source.indexOf(text, first + 1) === -1) return { start: first, end: first + text.length };
  const location = locate(candidate);
  if (location === undefined || location.scriptId !== scriptId) return undefined;
  const start = source.lastIndexOf(
    text,
    offsetOf(source, location.lineNumber, location.columnNumber),
  );
  return start === -1 ? undefined : { start, end: start + text.length };
}
