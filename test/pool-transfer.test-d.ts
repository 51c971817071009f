import { describe, expectTypeOf, it } from 'vitest';
import { type Pool, type Transferable, transfer } from '../src/pool/index.js';

declare const pool: Pool;
declare function checksum(buffer: ArrayBuffer): number;
declare function sum(view: Uint8Array): number;

describe('transfer types', () => {
  it('returns the value with its own type, so the call type-checks as without it', () => {
    expectTypeOf(transfer(new ArrayBuffer(8))).toEqualTypeOf<ArrayBuffer>();
    expectTypeOf(transfer(new Uint8Array(8))).toEqualTypeOf<Uint8Array<ArrayBuffer>>();
    expectTypeOf(pool.apply(checksum, [transfer(new ArrayBuffer(8))])).toEqualTypeOf<
      Promise<number>
    >();
    expectTypeOf(pool.map(sum, [transfer(new Uint8Array(1))])).toEqualTypeOf<Promise<number[]>>();
  });

  it('accepts only what can move', () => {
    expectTypeOf<ArrayBuffer>().toExtend<Transferable>();
    // @ts-expect-error: a plain object cannot move
    transfer({ bytes: 1 });
  });
});
