import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PoolClosedError } from '../dist/pool/index.js';
import { brokenProgress, loadPoolFixture, usePools } from './support/pool.js';

const lazy = await loadPoolFixture('lazy.js');
const open = usePools();

/** 0, 1, 2, ... for ever, counting what was pulled and whether it was closed. */
function naturals(): { items: Generator<number>; pulled: () => number; closed: () => boolean } {
  let next = 0;
  let closed = false;
  function* generate(): Generator<number> {
    try {
      for (;;) yield next++;
    } finally {
      closed = true;
    }
  }
  return { items: generate(), pulled: () => next, closed: () => closed };
}

describe('Pool: lazy imap', () => {
  it('yields results of an endless input, and closes it when the loop ends', async () => {
    const pool = open();
    const input = naturals();
    const results: number[] = [];
    for await (const value of pool.imap(lazy.square, input.items, { chunksize: 3 })) {
      results.push(value as number);
      if (results.length === 50) break;
    }
    expect(results).toEqual(Array.from({ length: 50 }, (_, x) => x * x));
    expect(input.closed()).toBe(true);
  });

  it('never reads more than maxInFlight items ahead of the caller', async () => {
    const pool = open();
    const input = naturals();
    const results = pool.imap(lazy.square, input.items, { chunksize: 2, maxInFlight: 8 });
    let taken = 0;
    for (let round = 0; round < 5; round++) {
      await results.next();
      taken += 1;
      // Whatever the timing, the bound holds at every checkpoint.
      await sleep(50);
      expect(input.pulled() - taken).toBeLessThanOrEqual(8);
    }
    await results.return?.();
  });

  it('uses a default bound of size x 4 x chunksize', async () => {
    const pool = open({ size: 2 });
    const input = naturals();
    const results = pool.imap(lazy.square, input.items, { chunksize: 5 });
    await results.next();
    await sleep(100);
    expect(input.pulled()).toBeLessThanOrEqual(1 + 2 * 4 * 5);
    expect(input.pulled()).toBeGreaterThan(1);
    await results.return?.();
  });

  it('yields every result before an input failure, then the failure', async () => {
    const pool = open();
    const failure = new Error('the input broke at item 7');
    function* failing(): Generator<number> {
      for (let x = 0; x < 7; x++) yield x;
      throw failure;
    }
    for (const chunksize of [1, 3, 10]) {
      const results: number[] = [];
      const error = await (async () => {
        for await (const value of pool.imap(lazy.square, failing(), { chunksize })) {
          results.push(value as number);
        }
      })().catch((caught: unknown) => caught);
      expect(error).toBe(failure);
      expect(results).toEqual([0, 1, 4, 9, 16, 25, 36]);
    }
  });

  it('reads async iterables lazily, in completion order for imapUnordered', async () => {
    const pool = open();
    async function* numbers(): AsyncGenerator<number> {
      for (let x = 0; x < 30; x++) yield x;
    }
    const results: number[] = [];
    for await (const value of pool.imapUnordered(lazy.square, numbers(), { chunksize: 4 })) {
      results.push(value as number);
    }
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, x) => x * x));
  });

  it('counts progress per item over the items read so far', async () => {
    const pool = open();
    const calls: [number, number][] = [];
    const results: unknown[] = [];
    for await (const value of pool.imap(lazy.square, new Set([1, 2, 3, 4, 5]), {
      chunksize: 2,
      onProgress: (done, total) => calls.push([done, total]),
    })) {
      results.push(value);
    }
    expect(results).toEqual([1, 4, 9, 16, 25]);
    expect(calls.map(([done]) => done)).toEqual([1, 2, 3, 4, 5]);
    for (const [done, total] of calls) expect(total).toBeGreaterThanOrEqual(done);
  });

  it('when onProgress throws: the iteration throws it, the input is read no further, it is not called again', async () => {
    const pool = open({ size: 1 });
    const input = naturals();
    const { thrown, onProgress, calls } = brokenProgress();
    const results: unknown[] = [];
    const error = await (async () => {
      for await (const value of pool.imap(lazy.square, input.items, {
        maxInFlight: 4,
        onProgress,
      })) {
        results.push(value);
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBe(thrown);
    // The item whose count threw is yielded, as map keeps the values before a failure.
    expect(results).toEqual([0]);
    const pulled = input.pulled();
    expect(pulled).toBeLessThanOrEqual(4);
    await pool.close();
    expect(input.pulled()).toBe(pulled);
    expect(input.closed()).toBe(true);
    expect(calls()).toBe(1);
  });

  it('stops reading after close(), yields what was submitted, then says so', async () => {
    const pool = open();
    const input = naturals();
    const results = pool.imap(lazy.square, input.items, { chunksize: 2, maxInFlight: 4 });
    expect((await results.next()).value).toBe(0);
    const closing = pool.close();
    const rest: unknown[] = [];
    const error = await (async () => {
      for await (const value of results) rest.push(value);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PoolClosedError);
    expect((error as Error).message).toMatch(
      /^The pool was closed while imap was reading its input: the \d+ items read before were submitted, the rest were not read$/,
    );
    expect(rest).toEqual(Array.from({ length: rest.length }, (_, index) => (index + 1) ** 2));
    await closing;
  });

  it('validates maxInFlight', () => {
    const pool = open();
    expect(() => pool.imap(lazy.square, naturals().items, { maxInFlight: 0 })).toThrow(
      new RangeError(
        'Expected `options.maxInFlight` to be an integer from 1 and up, got `0` (number)',
      ),
    );
  });

  it('refuses a maxInFlight below chunksize, rather than reading further ahead than it says', () => {
    const pool = open();
    const input = naturals();
    const refusal = new RangeError(
      'Expected `options.maxInFlight` (4) to be at least `options.chunksize` (10): a chunk is read whole; raise maxInFlight or lower chunksize',
    );
    expect(() => pool.imap(lazy.square, input.items, { chunksize: 10, maxInFlight: 4 })).toThrow(
      refusal,
    );
    expect(() =>
      pool.imapUnordered(lazy.square, input.items, { chunksize: 10, maxInFlight: 4 }),
    ).toThrow(refusal);
    expect(input.pulled()).toBe(0);
  });

  it('reads a chunk as big as maxInFlight, and no further ahead', async () => {
    const pool = open({ size: 1 });
    const input = naturals();
    const results = pool.imap(lazy.square, input.items, { chunksize: 4, maxInFlight: 4 });
    expect((await results.next()).value).toBe(0);
    await sleep(50);
    // One chunk of 4 read, 1 yielded: a second chunk would not fit under the bound.
    expect(input.pulled()).toBe(4);
    await results.return?.();
  });
});
