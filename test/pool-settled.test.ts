import { describe, expect, it } from 'vitest';
import { PoolClosedError, TaskAbortedError, WorkerExitError } from '../dist/pool/index.js';
import { brokenProgress, loadPoolFixture, usePools } from './support/pool.js';

const settled = await loadPoolFixture('settled.js');
const open = usePools();

/** What `Promise.allSettled` gives for the same items run on the main thread. */
function expected(items: number[]): PromiseSettledResult<number>[] {
  return items.map((x) =>
    x % 3 === 0
      ? { status: 'rejected', reason: new RangeError(`item ${x} is a multiple of three`) }
      : { status: 'fulfilled', value: x * 10 },
  );
}

describe('Pool: settled mode', () => {
  it('runs every item and gives each outcome in input order, whatever the chunk size', async () => {
    const pool = open();
    const items = Array.from({ length: 20 }, (_, index) => index);
    for (const options of [{}, { chunksize: 1 }, { chunksize: 4 }, { chunksize: 20 }]) {
      const outcomes = await pool.mapSettled(settled.failOnMultiplesOfThree, items, options);
      expect(outcomes).toEqual(expected(items));
      const reasons = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason] : [],
      );
      expect(reasons).toHaveLength(7);
      for (const reason of reasons) expect(reason).toBeInstanceOf(RangeError);
    }
  });

  it('keeps fail-fast for map', async () => {
    const pool = open();
    await expect(pool.map(settled.failOnMultiplesOfThree, [1, 2, 3, 4])).rejects.toThrow(
      new RangeError('item 3 is a multiple of three'),
    );
  });

  it('settles starmap argument lists', async () => {
    const pool = open();
    const outcomes = await pool.starmapSettled(settled.divide, [
      [1, 2],
      [1, 0],
      [9, 3],
    ]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 0.5 },
      { status: 'rejected', reason: new RangeError('division by zero') },
      { status: 'fulfilled', value: 3 },
    ]);
  });

  it('reports the fault of a worker that exits for its own item, and runs the others', async () => {
    const pool = open();
    const outcomes = await pool.mapSettled(settled.exitOn, [0, 1, 2, 3, 4], { chunksize: 5 });
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const failed = outcomes[2] as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(WorkerExitError);
    expect(failed.reason).toMatchObject({ code: 'ERR_SELFSAME_WORKER_EXIT', exitCode: 3 });
  });

  it('calls onProgress once per item, failures included', async () => {
    const pool = open();
    const progress: [number, number][] = [];
    await pool.mapSettled(settled.failOnMultiplesOfThree, [1, 2, 3, 4, 5, 6], {
      chunksize: 3,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((done) => [done, 6]));
  });

  it('when onProgress throws: rejects with its error once the running tasks settled, sends nothing again, is not called again', async () => {
    const pool = open({ size: 1 });
    const { thrown, onProgress, calls } = brokenProgress();
    const items = Array.from({ length: 20 }, (_, index) => index);
    const outcomes = pool.mapSettled(settled.failOnMultiplesOfThree, items, {
      chunksize: 4,
      onProgress,
    });
    await expect(outcomes).rejects.toBe(thrown);
    await pool.close();
    expect(calls()).toBe(1);
  });

  it('rejects every item left when the signal aborts', async () => {
    const pool = open();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const outcomes = await pool.mapSettled(settled.failOnMultiplesOfThree, [1, 2, 3], {
      signal: controller.signal,
    });
    expect(outcomes).toHaveLength(3);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TaskAbortedError);
    }
  });

  it('lets close() wait for the items sent again after a failure', async () => {
    const pool = open();
    const items = Array.from({ length: 12 }, (_, index) => index);
    const outcomes = pool.mapSettled(settled.failOnMultiplesOfThree, items, { chunksize: 12 });
    await pool.close();
    expect(await outcomes).toEqual(expected(items));
    await expect(pool.mapSettled(settled.failOnMultiplesOfThree, [1])).rejects.toThrow(
      PoolClosedError,
    );
  });
});
