import { expectTypeOf, it } from 'vitest';
import type { FunctionReference, ReferenceOptions } from '../../src/index.js';
import { fromReference, isMainModule, toReference } from '../../src/index.js';

it('types toReference, fromReference and isMainModule', () => {
  expectTypeOf(toReference).toBeCallableWith(function add(x: number) {
    return x;
  });
  expectTypeOf(toReference).toBeCallableWith(class Jobs {});
  // @ts-expect-error: only functions can be referenced
  expectTypeOf(toReference).toBeCallableWith(42);
  expectTypeOf(toReference).returns.toEqualTypeOf<Promise<FunctionReference>>();
  expectTypeOf(fromReference<(x: number) => string>).returns.toEqualTypeOf<
    Promise<(x: number) => string>
  >();
  expectTypeOf(fromReference).parameter(0).toBeUnknown();
  expectTypeOf(isMainModule).parameter(0).toEqualTypeOf<{ readonly url: string }>();
  expectTypeOf<FunctionReference['v']>().toEqualTypeOf<1>();
  expectTypeOf<ReferenceOptions['key']>().toEqualTypeOf<string | Uint8Array | undefined>();
});
