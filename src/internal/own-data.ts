/**
 * The value of an own data property, or `undefined` for a missing property or an accessor:
 * reads without ever running a getter.
 */
export function ownData(target: object, key: PropertyKey): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}
