/**
 * Reads of own properties through their descriptors, so that no getter runs and no inherited
 * value is ever taken for the property.
 */

import { WRAPPED_KEY } from './keys.js';

/**
 * The value of an own data property, or `undefined` for a missing property or an accessor:
 * reads without ever running a getter.
 */
export function ownData(target: object, key: PropertyKey): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

/** `true` when `fn` has an own property `key`, data or accessor. */
export function hasOwnSlot(fn: Function, key: symbol): boolean {
  return Object.getOwnPropertyDescriptor(fn, key) !== undefined;
}

/** The function `fn` wraps: its own link slot when it holds a function; a getter is never run. */
export function wrappedOf(fn: Function): Function | undefined {
  const value = ownData(fn, WRAPPED_KEY);
  return typeof value === 'function' ? value : undefined;
}

/** A prototype's own `constructor` when it is a data property holding a function. */
export function ownConstructor(proto: object): Function | undefined {
  const value = ownData(proto, 'constructor');
  return typeof value === 'function' ? value : undefined;
}

/**
 * The `url` of an `import.meta`-like object, read as an own data property. Bun's `import.meta`
 * is exotic: no own property descriptors and no prototype, yet `url` reads as a string; with
 * no descriptor and no prototype there is no getter to run, so that one shape is read directly.
 */
export function metaUrl(meta: object): unknown {
  const url = ownData(meta, 'url');
  if (url !== undefined || Object.getOwnPropertyDescriptor(meta, 'url') !== undefined) return url;
  return Object.getPrototypeOf(meta) === null && Reflect.ownKeys(meta).length === 0
    ? (meta as { url?: unknown }).url
    : undefined;
}
