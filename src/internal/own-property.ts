/**
 * Reads of own properties through their descriptors, so that no getter and no inherited value is
 * ever taken for the property.
 */

/** `true` when `fn` has an own property `key`, data or accessor. */
export function hasOwnSlot(fn: Function, key: symbol): boolean {
  return Object.getOwnPropertyDescriptor(fn, key) !== undefined;
}

/** A prototype's own `constructor` when it is a data property holding a function. */
export function ownConstructor(proto: object): Function | undefined {
  const value = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  return typeof value === 'function' ? value : undefined;
}
