/**
 * How selfsame defines a property on a function it was given: a refusal (frozen function,
 * non-configurable property) becomes a {@link WrapperPropertyError} naming what and where.
 */

import { WrapperPropertyError } from '../errors.js';
import { ownName } from './describe.js';

/** Defines a hidden, read-only, reconfigurable data property: how identity slots are stored. */
export function defineHidden(
  target: Function,
  key: PropertyKey,
  value: unknown,
  what: string,
): void {
  defineOwn(target, key, { value, writable: false, enumerable: false, configurable: true }, what);
}

/**
 * `Object.defineProperty` that reports a refusal (a frozen target, a non-configurable own
 * property) as a {@link WrapperPropertyError} naming the property and the function.
 */
export function defineOwn(
  target: Function,
  key: PropertyKey,
  descriptor: PropertyDescriptor,
  what: string,
): void {
  if (!Reflect.defineProperty(target, key, descriptor)) throw definitionError(target, key, what);
}

/** The error for a definition `target` refused, built only once it has failed. */
function definitionError(target: Function, key: PropertyKey, what: string): WrapperPropertyError {
  const name = ownName(target) || '<anonymous>';
  return new WrapperPropertyError(
    key,
    `Cannot set ${what} on function \`${name}\`: ${refusalReason(target)}`,
  );
}

/** Why `target` refused a definition, for the end of a {@link WrapperPropertyError} message. */
export function refusalReason(target: Function): string {
  return Object.isExtensible(target)
    ? 'its own property is not configurable'
    : 'the function is not extensible (frozen, sealed or preventExtensions)';
}
