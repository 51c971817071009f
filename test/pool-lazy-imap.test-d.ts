import { describe, expectTypeOf, it } from 'vitest';
import type { MapOptions, Pool } from '../src/pool/index.js';

declare const pool: Pool;
declare function square(x: number): number;

describe('lazy imap types', () => {
  it('takes any iterable or async iterable, and a bound in items', () => {
    function* naturals(): Generator<number> {
      yield 1;
    }
    expectTypeOf(pool.imap(square, naturals(), { maxInFlight: 64 })).toEqualTypeOf<
      AsyncIterableIterator<number>
    >();
    expectTypeOf<MapOptions['maxInFlight']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error: the bound is a number of items
    pool.imap(square, naturals(), { maxInFlight: '64' });
  });
});
