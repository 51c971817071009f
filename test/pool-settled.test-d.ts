import { describe, expectTypeOf, it } from 'vitest';
import type { Pool } from '../src/pool/index.js';

declare const pool: Pool;
declare function add(a: number, b: number): number;
declare function countLorem(text: string): Promise<number>;

describe('settled mode types', () => {
  it('mapSettled gives one settled result per item, of the awaited result type', () => {
    expectTypeOf(pool.mapSettled(countLorem, ['a'])).toEqualTypeOf<
      Promise<PromiseSettledResult<number>[]>
    >();
    // @ts-expect-error: numbers are not strings
    pool.mapSettled(countLorem, [1]);
  });

  it('starmapSettled takes argument lists', () => {
    expectTypeOf(pool.starmapSettled(add, [[1, 2]])).toEqualTypeOf<
      Promise<PromiseSettledResult<number>[]>
    >();
    // @ts-expect-error: an item must be an argument list
    pool.starmapSettled(add, [1]);
  });
});
