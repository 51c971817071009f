import { describe, expectTypeOf, it } from 'vitest';
import type { MapOptions, Pool, PoolOptions, TaskEvent } from '../dist/pool/index.js';

declare const pool: Pool;
declare function add(a: number, b: number): number;
declare function countLorem(text: string): Promise<number>;

describe('Pool types', () => {
  it('apply takes the function’s own argument list and returns its awaited result', () => {
    expectTypeOf(pool.apply(add, [1, 2])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.apply(countLorem, ['Lorem'])).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error: the arguments must match the function
    pool.apply(add, ['1', 2]);
  });

  it('map, imap and imapUnordered take items of the parameter type', () => {
    expectTypeOf(pool.map(countLorem, ['a', 'b'])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.imap(countLorem, ['a'])).toEqualTypeOf<AsyncIterableIterator<number>>();
    expectTypeOf(pool.imapUnordered(countLorem, ['a'])).toEqualTypeOf<
      AsyncIterableIterator<number>
    >();
    // @ts-expect-error: numbers are not strings
    pool.map(countLorem, [1, 2]);
  });

  it('starmap takes argument lists', () => {
    expectTypeOf(pool.starmap(add, [[1, 2]])).toEqualTypeOf<Promise<number[]>>();
    // @ts-expect-error: an item must be an argument list
    pool.starmap(add, [1]);
  });

  it('options are typed and readonly', () => {
    expectTypeOf<PoolOptions['size']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MapOptions['onProgress']>().toEqualTypeOf<
      ((done: number, total: number, event?: TaskEvent) => void) | undefined
    >();
    expectTypeOf(pool[Symbol.asyncDispose]()).toEqualTypeOf<Promise<void>>();
  });
});
