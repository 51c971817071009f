import { describe, expect, it } from 'vitest';
import {
  NotInTaskError,
  PoolClosedError,
  TaskAbortedError,
  type TaskEvent,
  taskContext,
} from '../dist/pool/index.js';
import { brokenProgress, loadPoolFixture, usePools } from './support/pool.js';

const context = await loadPoolFixture('context.js');
const open = usePools();
const LABEL = (name: string): string => `\`${name}\` (./test/fixtures/pool/context.js)`;

describe('taskContext()', () => {
  it('refuses to run outside a task', () => {
    expect(() => taskContext()).toThrow(NotInTaskError);
    expect(() => taskContext()).toThrow(
      'taskContext() was called outside a task: only a function run by a Pool, while it runs in its worker thread, has a task context',
    );
    try {
      taskContext();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_SELFSAME_NOT_IN_TASK' });
    }
  });
});

describe('Pool: cooperative cancellation', () => {
  it('aborts the task’s own signal and lets it stop within the grace period, keeping its worker', async () => {
    const pool = open({ size: 1, abortGracePeriod: 30_000 });
    const before = await pool.apply(context.whichThread, []);
    const controller = new AbortController();
    const reason = new Error('the user left');
    const call = pool.apply(context.stopOnAbort, [], { signal: controller.signal });
    // Aborted once the task runs: a later apply would wait behind it on this one-worker pool.
    setTimeout(() => controller.abort(reason), 50);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_TASK_ABORTED',
      message: `${LABEL('stopOnAbort')} was aborted; it settled by itself within the pool's abortGracePeriod of 30000 ms`,
      cause: reason,
    });
    expect(await pool.apply(context.whichThread, [])).toBe(before);
  });

  it('replaces the worker of a task that does not stop within the grace period', async () => {
    const pool = open({ size: 1, abortGracePeriod: 100 });
    const before = await pool.apply(context.whichThread, []);
    const controller = new AbortController();
    const call = pool.apply(context.ignoreAbort, [], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect((error as Error).message).toBe(
      `${LABEL('ignoreAbort')} was aborted; it did not stop within the pool's abortGracePeriod of 100 ms, so its worker thread was stopped and replaced`,
    );
    expect(await pool.apply(context.whichThread, [])).not.toBe(before);
  });

  it('sees an abort that reached the worker before the task did, on every try', async () => {
    const pool = open({ abortGracePeriod: 30_000 });
    for (let attempt = 0; attempt < 20; attempt++) {
      const controller = new AbortController();
      const call = pool.apply(context.stopOnAbort, [], { signal: controller.signal });
      controller.abort(new Error(`attempt ${attempt}`));
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskAbortedError);
      expect((error as Error).cause).toEqual(new Error(`attempt ${attempt}`));
    }
  });

  it('never aborts the task’s signal without a grace period', async () => {
    const pool = open();
    expect(await pool.apply(context.isAborted, [])).toBe(false);
  });

  it('validates abortGracePeriod', () => {
    expect(() => open({ abortGracePeriod: -1 })).toThrow(
      new RangeError(
        'Expected `options.abortGracePeriod` to be a number of milliseconds from 0 and at most 2147483647, got `-1` (number)',
      ),
    );
    expect(() => open({ abortGracePeriod: '5' as unknown as number })).toThrow(
      new TypeError(
        'Expected `options.abortGracePeriod` to be a number of milliseconds from 0 and at most 2147483647, got `"5"` (string)',
      ),
    );
  });
});

describe('Pool: progress', () => {
  it('delivers a task’s own events, in order, before the call settles', async () => {
    const pool = open();
    const calls: [number, number, TaskEvent | undefined][] = [];
    const result = await pool.apply(context.reportSteps, [3], {
      onProgress: (done, total, event) => calls.push([done, total, event]),
    });
    expect(result).toBe(3);
    expect(calls).toEqual([
      [0, 1, { item: 0, data: { step: 0 } }],
      [0, 1, { item: 0, data: { step: 1 } }],
      [0, 1, { item: 0, data: { step: 2 } }],
      [1, 1, undefined],
    ]);
  });

  it('names the input item an event belongs to, across chunks', async () => {
    const pool = open();
    const events: TaskEvent[] = [];
    const items = Array.from({ length: 12 }, (_, index) => index);
    await pool.map(context.reportItem, items, {
      chunksize: 5,
      onProgress: (_done, _total, event) => {
        if (event !== undefined) events.push(event);
      },
    });
    expect(events.sort((a, b) => a.item - b.item)).toEqual(
      items.map((item) => ({ item, data: item * 10 })),
    );
  });

  it('counts items, not chunks', async () => {
    const pool = open();
    const counts: [number, number][] = [];
    const items = Array.from({ length: 1000 }, (_, index) => index);
    await pool.map(context.whichThread, items, {
      onProgress: (done, total, event) => {
        if (event === undefined) counts.push([done, total]);
      },
    });
    expect(counts).toEqual(items.map((index) => [index + 1, 1000]));
  });

  it('reports an item done while the rest of its chunk still runs', async () => {
    const pool = open();
    let first!: () => void;
    const firstDone = new Promise<void>((resolve) => {
      first = resolve;
    });
    const mapped = pool
      .map(context.holdAfterFirst, [0, 1], {
        chunksize: 2,
        onProgress: (done) => {
          if (done === 1) first();
        },
      })
      .catch((error: unknown) => error);
    await firstDone;
    await pool.terminate();
    expect(await mapped).toBeInstanceOf(PoolClosedError);
  });

  it('when onProgress throws on an event: the map rejects with it, the rest is dropped, it is not called again', async () => {
    const pool = open({ size: 1 });
    const { thrown, onProgress, calls } = brokenProgress();
    const mapped = pool.map(context.reportItem, [1, 2, 3, 4, 5, 6], {
      chunksize: 1,
      onProgress,
    });
    await expect(mapped).rejects.toBe(thrown);
    // Whatever was still running finishes unread: its events and items are not reported.
    await pool.close();
    expect(calls()).toBe(1);
  });

  it('delivers every event of a task whose worker retires after it, 20 times in a row', async () => {
    const pool = open({ size: 1, maxTasksPerWorker: 1 });
    for (let round = 0; round < 20; round++) {
      const calls: (TaskEvent | undefined)[] = [];
      const result = await pool.apply(context.reportSteps, [3], {
        onProgress: (_done, _total, event) => calls.push(event),
      });
      expect(result).toBe(3);
      expect(calls).toEqual([
        { item: 0, data: { step: 0 } },
        { item: 0, data: { step: 1 } },
        { item: 0, data: { step: 2 } },
        undefined,
      ]);
    }
  });

  it('rejects the call with what onProgress threw on an event', async () => {
    const pool = open();
    const thrown = new Error('the progress bar broke');
    await expect(
      pool.apply(context.reportSteps, [2], {
        onProgress: () => {
          throw thrown;
        },
      }),
    ).rejects.toBe(thrown);
  });
});
