/**
 * Copies framework metadata from one function object to another: every reflect-metadata key
 * defined on the function object itself (where NestJS keeps routes, guards and `SetMetadata`),
 * and the standard decorators' `Symbol.metadata` object.
 */

/** The part of reflect-metadata's API that copying needs. */
interface ReflectMetadata {
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

/**
 * Copies every reflect-metadata entry defined on `from` itself onto `to`. The API is looked up on
 * `Reflect` at each call, not at import, so that it works whether reflect-metadata was loaded
 * before or after selfsame; when it is not loaded at all, no metadata can exist and this does
 * nothing.
 */
export function copyReflectMetadata(to: Function, from: Function): void {
  const api = Reflect as unknown as Partial<ReflectMetadata>;
  if (
    typeof api.getOwnMetadataKeys !== 'function' ||
    typeof api.getOwnMetadata !== 'function' ||
    typeof api.defineMetadata !== 'function'
  ) {
    return;
  }
  const keys = api.getOwnMetadataKeys(from);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    api.defineMetadata(key, api.getOwnMetadata(key, from), to);
  }
}

/**
 * The key of the standard decorators' metadata object: the runtime's own `Symbol.metadata`, or
 * the one selfsame installs where the runtime lacks it (read at call time for the same reason).
 */
export function metadataSymbol(): symbol | undefined {
  return (Symbol as { metadata?: symbol }).metadata;
}
