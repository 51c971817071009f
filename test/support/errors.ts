import { expect } from 'vitest';

/** What `run` throws (synchronously), or `undefined`. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Asserts that `error` is exactly an instance of `Class` (not a subclass, not a look-alike of the
 * same name) with the given `message` and other fields (`code`, `cause`...).
 */
export function expectError(
  error: unknown,
  Class: Function,
  fields: { readonly message: string } & Record<string, unknown>,
): void {
  expect((error as object | undefined)?.constructor).toBe(Class);
  expect(error).toMatchObject(fields);
}
