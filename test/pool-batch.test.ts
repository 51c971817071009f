import fc from 'fast-check';
import { Piscina } from 'piscina';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pool } from '../dist/pool/index.js';
import { loadNamespace } from '../dist/reference/load-module.js';
import { allPrimitive, decode, encode, isEncoded, isReport, reportOf } from '../src/pool/batch.js';
import { autoChunksize } from '../src/pool/job.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture functions are plain JavaScript.
type Task = (...args: any[]) => unknown;
// Loaded natively, as the workers load it (see test/pool.test.ts).
const tasks = (
  await loadNamespace(
    new URL('./fixtures/pool-batch-tasks.js', import.meta.url).href,
    'pool-batch-tasks.js',
  )
).namespace as Record<'echo' | 'kindOf' | 'sum' | 'failAt700', Task>;

/** A value spelled so that `toEqual` tells `-0` from `0` and compares `NaN` and bigints. */
const spell = (value: unknown): string =>
  Object.is(value, -0) ? '-0' : typeof value === 'bigint' ? `${value}n` : String(value);

const pools: Pool[] = [];
function open(): Pool {
  const pool = new Pool({ size: 2 });
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
  vi.restoreAllMocks();
});

/** Thousands of primitives of every kind, `-0` and `NaN` among them. */
const primitives = Array.from(
  { length: 5000 },
  (_, index) =>
    [
      index,
      `clause ${index}`,
      index % 2 === 0,
      null,
      undefined,
      BigInt(index),
      -0,
      Number.NaN,
      0.5,
    ][index % 9],
);

describe('Pool: large batches of primitives travel as bytes', () => {
  it('maps thousands of primitives in input order, each value exactly as given', async () => {
    const pool = open();
    const results = await pool.map(tasks.echo, primitives, { chunksize: 1000 });
    expect(results).toHaveLength(primitives.length);
    expect(results.map(spell)).toEqual(primitives.map(spell));
  });

  it('yields them in order from imap and each exactly once from imapUnordered', async () => {
    const pool = open();
    const items = Array.from({ length: 3000 }, (_, index) => index);
    const ordered: unknown[] = [];
    for await (const value of pool.imap(tasks.echo, items, { chunksize: 600 })) ordered.push(value);
    expect(ordered).toEqual(items);
    const unordered: number[] = [];
    for await (const value of pool.imapUnordered(tasks.echo, items, { chunksize: 600 })) {
      unordered.push(value as number);
    }
    expect(unordered.sort((a, b) => a - b)).toEqual(items);
  });

  it('caps an automatic chunk at 16,384 items', async () => {
    const pool = open();
    const run = vi.spyOn(Piscina.prototype, 'run');
    const items = Array.from({ length: 200_000 }, (_, index) => index);
    const results = await pool.map(tasks.echo, items);
    expect(results).toEqual(items);
    // Four tasks per worker would be 25,000 items each.
    expect(run).toHaveBeenCalledTimes(Math.ceil(200_000 / 16_384));
  });

  it('gives a map too small for four chunks of 2,048 items per worker two tasks per worker', async () => {
    const pool = open();
    const run = vi.spyOn(Piscina.prototype, 'run');
    const items = Array.from({ length: 10_000 }, (_, index) => index);
    expect(await pool.map(tasks.echo, items)).toEqual(items);
    expect(run).toHaveBeenCalledTimes(4);
  });

  it('sizes automatic chunks: four per worker, down to two while four would be under 2,048 items, at most 16,384', () => {
    expect(autoChunksize(0, 2)).toBe(1);
    expect(autoChunksize(10, 2)).toBe(3);
    expect(autoChunksize(10_000, 2)).toBe(2500);
    expect(autoChunksize(12_288, 2)).toBe(2048);
    expect(autoChunksize(16_384, 2)).toBe(2048);
    expect(autoChunksize(100_000, 2)).toBe(12_500);
    expect(autoChunksize(100_000, 8)).toBe(3125);
    expect(autoChunksize(1_000_000, 2)).toBe(16_384);
  });

  it('spreads thousands of argument lists for starmap', async () => {
    const pool = open();
    const lists = Array.from({ length: 2000 }, (_, index) => [index, 1, 2]);
    expect(await pool.starmap(tasks.sum, lists, { chunksize: 1000 })).toEqual(
      lists.map(([index]) => (index as number) + 3),
    );
  });

  it('sends a batch holding any object by structured clone, as before: a Buffer arrives a Uint8Array', async () => {
    const pool = open();
    const items: unknown[] = Array.from({ length: 1000 }, (_, index) => index);
    items[600] = Buffer.from('bytes');
    const kinds = await pool.map(tasks.kindOf, items, { chunksize: 1000 });
    expect(kinds[600]).toBe('Uint8Array');
    expect(kinds[0]).toBe('number');
  });

  it('stops a large batch at its first failure, with the values before it and the error itself', async () => {
    const pool = open();
    const items = Array.from({ length: 1000 }, (_, index) => index);
    await expect(pool.map(tasks.failAt700, items, { chunksize: 1000 })).rejects.toThrow(
      new RangeError('item 700 failed'),
    );
    const seen: unknown[] = [];
    const failure = await (async () => {
      for await (const value of pool.imap(tasks.failAt700, items, { chunksize: 1000 })) {
        seen.push(value);
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RangeError);
    expect(seen).toEqual(items.slice(0, 700));
  });
});

describe('batch encoding', () => {
  const primitive = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.bigInt(),
    fc.constant(null),
    fc.constant(undefined),
  );

  it('gives back exactly what structured clone would, for any array of primitives', () => {
    fc.assert(
      fc.property(fc.array(primitive), (values) => {
        expect(allPrimitive(values, false)).toBe(true);
        const bytes = encode(values);
        expect(isEncoded(bytes)).toBe(true);
        const cloned = structuredClone(values);
        const decoded = decode(bytes);
        expect(decoded).toHaveLength(cloned.length);
        expect(decoded.map(spell)).toEqual(cloned.map(spell));
      }),
    );
  });

  it('tells primitives from anything else, argument lists included', () => {
    expect(allPrimitive([1, 'a', null, undefined, 1n, true], false)).toBe(true);
    for (const other of [{}, [], () => 1, Symbol('s'), new Uint8Array(1)]) {
      expect(allPrimitive([1, other], false)).toBe(false);
      expect(allPrimitive([[1], [2, other]], true)).toBe(false);
    }
    expect(allPrimitive([[1, 'a'], [], [null]], true)).toBe(true);
    expect(isEncoded([1, 2])).toBe(false);
  });
});

describe('Pool: one call travels as its argument list, a primitive result as itself', () => {
  it('gives back every kind of primitive exactly, `-0`, `NaN`, `undefined` and bigints included', async () => {
    const pool = open();
    const values = [0, -0, Number.NaN, 1.5, '', 'text', true, false, null, undefined, 10n ** 30n];
    const results = await Promise.all(values.map((value) => pool.apply(tasks.echo, [value])));
    expect(results.map(spell)).toEqual(values.map(spell));
  });

  it('gives back results shaped like the answers themselves as the values they are', async () => {
    const pool = open();
    const lookalikes = [
      [1, 2],
      [],
      new Uint8Array([1, 2, 3]),
      { values: [1], failure: { kind: 'throw', index: 0, thrown: { value: 'x' } } },
      { values: [], events: 3 },
    ];
    for (const value of lookalikes) {
      expect(await pool.apply(tasks.echo, [value])).toEqual(value);
    }
    expect(await pool.apply(tasks.kindOf, [new Uint8Array([1])])).toBe('Uint8Array');
  });

  it('spreads the arguments of one call, however many, and of a starmap chunk of one', async () => {
    const pool = open();
    expect(await pool.apply(tasks.sum, [])).toBe(0);
    expect(await pool.apply(tasks.sum, [1, 2, 3])).toBe(6);
    expect(await pool.starmap(tasks.sum, [[1, 2], [3], []], { chunksize: 1 })).toEqual([3, 3, 0]);
  });

  it('rejects with the error of a call that throws, its class and message kept', async () => {
    const pool = open();
    await expect(pool.apply(tasks.failAt700, [700])).rejects.toThrow(
      new RangeError('item 700 failed'),
    );
    expect(await pool.apply(tasks.failAt700, [699])).toBe(699);
  });

  it('tells a report from bare values and a bare primitive', () => {
    const report = { values: [1], events: 2 };
    expect(isReport(report)).toBe(true);
    expect(reportOf(report)).toBe(report);
    for (const bare of [[1, 2], [], 7, null, undefined, 'x']) {
      expect(isReport(bare)).toBe(false);
    }
    expect(reportOf([1, 2])).toEqual({ values: [1, 2] });
    expect(reportOf(7)).toEqual({ values: [7] });
    expect(reportOf(undefined)).toEqual({ values: [undefined] });
  });
});
