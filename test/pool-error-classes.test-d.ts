import { describe, expectTypeOf, it } from 'vitest';
import { type ErrorRebuild, errorRebuild } from '../src/pool/index.js';

describe('errorRebuild types', () => {
  it('takes any value and says how an error was rebuilt', () => {
    expectTypeOf(errorRebuild).parameter(0).toBeUnknown();
    expectTypeOf(errorRebuild(new Error('x'))).toEqualTypeOf<ErrorRebuild | undefined>();
  });

  it('gives a reason only for a look-alike', () => {
    const rebuild = errorRebuild(new Error('x'));
    if (rebuild?.as === 'look-alike') expectTypeOf(rebuild.reason).toEqualTypeOf<string>();
    if (rebuild?.as === 'class') {
      // @ts-expect-error: a class found again needs no reason
      rebuild.reason;
    }
    expectTypeOf<ErrorRebuild['className']>().toEqualTypeOf<string>();
  });
});
