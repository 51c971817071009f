/**
 * Names the function a local object was defined in, as pickle's `outer.<locals>.inner`: the
 * exported function, or static or instance method of an exported class, whose source text
 * contains the local's definition.
 */
import { ownData } from '../internal/own-data.js';
import { locate, offsetOf, scriptSource } from './locate.js';
import { util } from './node.js';

const sourceOf = Function.prototype.toString;

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
