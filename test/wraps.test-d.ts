import { describe, expectTypeOf, it } from 'vitest';
import {
  defineIdentity,
  type Identity,
  type IdentityInit,
  identityOf,
  type UnwrapOptions,
  unwrap,
  updateWrapper,
  WRAPPER_ASSIGNMENTS,
  WRAPPER_UPDATES,
  type WrapOptions,
  wraps,
} from '../src/index.js';

declare function add(a: number, b: number): number;
declare function greet(this: { name: string }, greeting: string): string;
declare const loose: (...args: unknown[]) => unknown;
declare class Point {
  constructor(x: number, y: number);
  static origin: Point;
}

describe('wraps', () => {
  it('types the wrapper as the wrapped function', () => {
    expectTypeOf(wraps(add)(loose)).toEqualTypeOf<typeof add>();
    expectTypeOf(wraps(greet)(loose)).toEqualTypeOf<typeof greet>();
    expectTypeOf(wraps(Point)(class {})).toEqualTypeOf<typeof Point>();
  });

  it('accepts only functions, on both sides', () => {
    // @ts-expect-error a number is not a function
    wraps(42);
    // @ts-expect-error a string is not a wrapper
    wraps(add)('wrapper');
  });

  it('accepts the public lists and custom keys', () => {
    wraps(add, { assigned: WRAPPER_ASSIGNMENTS, updated: WRAPPER_UPDATES });
    wraps(add, { assigned: ['name', 'displayName', Symbol.for('x')], updated: ['metadata'] });
    // @ts-expect-error `__dict__` is not a merge selfsame knows
    wraps(add, { updated: ['__dict__'] });
    // @ts-expect-error a number is not a property key selfsame accepts
    wraps(add, { assigned: [1] });
  });
});

describe('updateWrapper', () => {
  it('returns the wrapper typed as the wrapped function', () => {
    expectTypeOf(updateWrapper(loose, add)).toEqualTypeOf<typeof add>();
    expectTypeOf(updateWrapper(loose, add, {})).toEqualTypeOf<typeof add>();
  });

  it('takes WrapOptions', () => {
    expectTypeOf(updateWrapper).parameter(2).toEqualTypeOf<WrapOptions | undefined>();
  });
});

describe('WRAPPER_ASSIGNMENTS and WRAPPER_UPDATES', () => {
  it('are readonly tuples of literals', () => {
    expectTypeOf(WRAPPER_ASSIGNMENTS).toEqualTypeOf<
      readonly ['name', 'length', 'qualname', 'module', 'doc']
    >();
    expectTypeOf(WRAPPER_UPDATES).toEqualTypeOf<readonly ['properties', 'metadata']>();
  });
});

describe('unwrap', () => {
  it('returns the type of the function given', () => {
    expectTypeOf(unwrap(add)).toEqualTypeOf<typeof add>();
    expectTypeOf(unwrap(Point)).toEqualTypeOf<typeof Point>();
  });

  it('types `stop` as a predicate on functions', () => {
    expectTypeOf<UnwrapOptions['stop']>().toEqualTypeOf<((fn: Function) => boolean) | undefined>();
    // @ts-expect-error `stop` must be a function
    unwrap(add, { stop: true });
  });
});

describe('identityOf and defineIdentity', () => {
  it('reports an Identity with precise fields', () => {
    const identity = identityOf(add);
    expectTypeOf(identity).toEqualTypeOf<Identity>();
    expectTypeOf(identity.name).toEqualTypeOf<string>();
    expectTypeOf(identity.qualname).toEqualTypeOf<string>();
    expectTypeOf(identity.module).toEqualTypeOf<string | undefined>();
    expectTypeOf(identity.doc).toEqualTypeOf<string | undefined>();
    expectTypeOf(identity.wrapped).toEqualTypeOf<
      // biome-ignore lint/suspicious/noExplicitAny: mirrors AnyFunction, the widest callable type.
      ((...args: any[]) => any) | undefined
    >();
  });

  it('returns the function it was given, type unchanged', () => {
    expectTypeOf(defineIdentity(add, { qualname: 'add' })).toEqualTypeOf<typeof add>();
    expectTypeOf(defineIdentity(Point, { module: import.meta })).toEqualTypeOf<typeof Point>();
  });

  it('accepts only the identity fields', () => {
    expectTypeOf<IdentityInit>().toEqualTypeOf<{
      readonly qualname?: string | undefined;
      readonly module?: string | { readonly url: string } | undefined;
      readonly doc?: string | undefined;
    }>();
    // @ts-expect-error `name` is the function's own property, not an identity field
    defineIdentity(add, { name: 'x' });
  });
});
