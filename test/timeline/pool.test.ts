import { afterEach, describe, expect, it } from 'vitest';
import { Pool } from '../../src/pool/index.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { Timeline, type TimelineRecord } from '../../src/timeline/index.js';

// Loaded natively, as the workers load it: a reference resolves only to the real module
// instance, never to a copy made by vitest's module runner.
// biome-ignore lint/suspicious/noExplicitAny: the fixture is plain JavaScript.
type Fixture = Record<string, any>;
const tracked = (
  await loadNamespace(
    new URL('../fixtures/timeline/tracked.js', import.meta.url).href,
    'tracked.js',
  )
).namespace as Fixture;

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
});

function poolWith(timeline: Timeline, size = 2): Pool {
  const pool = new Pool({ size, onRecord: timeline.record });
  pools.push(pool);
  return pool;
}

const calls = (timeline: Timeline, qualname: string): TimelineRecord[] =>
  timeline.records.filter((record) => record.qualname === qualname);

describe('Pool `onRecord`: timeline records from the workers', () => {
  it('brings each timed call made in a worker to the main thread, with its thread id, before the call settles', async () => {
    const timeline = new Timeline();
    const pool = poolWith(timeline);
    expect(await pool.map(tracked.outer, [1, 2, 3, 4], { chunksize: 1 })).toEqual([4, 6, 8, 10]);
    const outers = calls(timeline, 'outer');
    const inners = calls(timeline, 'inner');
    expect(outers).toHaveLength(4);
    expect(inners).toHaveLength(4);
    for (const record of [...outers, ...inners]) {
      expect(record.threadId).toBeGreaterThan(0);
      expect(record.module).toMatch(/\/test\/fixtures\/timeline\/tracked\.js$/);
      expect(record.outcome).toBe('ok');
    }
    // Each inner call nests inside an outer call on the same thread.
    for (const record of inners) {
      expect(
        outers.some(
          (parent) =>
            parent.threadId === record.threadId &&
            parent.start <= record.start &&
            record.end <= parent.end,
        ),
      ).toBe(true);
    }
  });

  it("adds the pool's spans: queued, dispatch and task on the main thread, run in the worker, linked by a flow id", async () => {
    const timeline = new Timeline();
    const pool = poolWith(timeline);
    await pool.starmap(
      tracked.slow,
      [
        [1, 20],
        [2, 20],
        [3, 20],
      ],
      { chunksize: 2 },
    );
    const pool0 = timeline.records.filter((record) => record.kind === 'pool');
    const named = (prefix: string) =>
      pool0.filter((record) => record.qualname === `${prefix} slow`);
    expect(named('queued').map((record) => record.args)).toEqual([
      { task: expect.any(Number), offset: 0, items: 2 },
      { task: expect.any(Number), offset: 2, items: 1 },
    ]);
    const dispatches = named('dispatch');
    const runs = named('run');
    expect(named('task')).toHaveLength(2);
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run.threadId).toBeGreaterThan(0);
      const dispatch = dispatches.find((record) => record.flowOut === run.flowIn);
      expect(dispatch?.threadId).toBe(0);
      expect(dispatch?.args?.task).toBe(run.args?.task);
      expect(run.start).toBeGreaterThanOrEqual((dispatch?.start ?? 0) - 1);
    }
    expect(calls(timeline, 'slow')).toHaveLength(3);
  });

  it('keeps the records of a worker that retires after its task (maxTasksPerWorker)', async () => {
    const timeline = new Timeline();
    const pool = new Pool({ size: 1, maxTasksPerWorker: 1, onRecord: timeline.record });
    pools.push(pool);
    await pool.apply(tracked.outer, [1]);
    await pool.apply(tracked.outer, [2]);
    const outers = calls(timeline, 'outer');
    expect(outers).toHaveLength(2);
    // Each task ran in a fresh worker thread.
    expect(outers[0]?.threadId).not.toBe(outers[1]?.threadId);
    expect(calls(timeline, 'run outer')).toHaveLength(2);
  });

  it('marks calls that threw or rejected, with the error as text', async () => {
    const timeline = new Timeline();
    const pool = poolWith(timeline, 1);
    await expect(pool.apply(tracked.fails, ['no'])).rejects.toThrow(new RangeError('no'));
    await expect(pool.apply(tracked.rejects, ['later'])).rejects.toThrow(new TypeError('later'));
    expect(calls(timeline, 'fails')).toMatchObject([{ outcome: 'error', error: 'RangeError: no' }]);
    expect(calls(timeline, 'rejects')).toMatchObject([
      { outcome: 'error', error: 'TypeError: later' },
    ]);
    expect(calls(timeline, 'run fails')).toMatchObject([{ outcome: 'error', kind: 'pool' }]);
    expect(calls(timeline, 'task rejects')).toMatchObject([{ outcome: 'error', threadId: 0 }]);
  });

  it('keeps overlapping async calls of one worker apart in the trace', async () => {
    const timeline = new Timeline();
    const pool = poolWith(timeline, 1);
    await pool.apply(tracked.overlap, []);
    const slow = calls(timeline, 'slow');
    expect(slow).toHaveLength(2);
    const trace = timeline.toTraceEvents();
    const phases = trace.traceEvents
      .filter((event) => event.name === 'slow')
      .map((event) => event.ph)
      .sort();
    expect(phases).toEqual(['X', 'b', 'e']);
  });

  it('collects nothing without `onRecord`: no worker sets the timing sink or listens to the channel', async () => {
    const quiet = new Pool({ size: 1 });
    pools.push(quiet);
    // A timed call in the quiet worker, so that its thread's sink slot exists.
    await quiet.apply(tracked.inner, [1]);
    expect(await quiet.apply(tracked.timingListeners, [])).toEqual({
      subscribed: false,
      sink: 'undefined',
    });
    // A collecting worker is handed each call directly, not through the public channel.
    const listening = poolWith(new Timeline(), 1);
    expect(await listening.apply(tracked.timingListeners, [])).toEqual({
      subscribed: false,
      sink: 'function',
    });
  });

  it('still publishes on the public tracing channel in a collecting worker, and records the call once', async () => {
    const timeline = new Timeline();
    const pool = poolWith(timeline, 1);
    expect(await pool.apply(tracked.heardOnChannel, [1])).toEqual(['start inner', 'end inner']);
    expect(calls(timeline, 'inner')).toMatchObject([
      { qualname: 'inner', outcome: 'ok', error: undefined },
    ]);
    const [record] = calls(timeline, 'inner');
    expect(record?.module).toMatch(/\/test\/fixtures\/timeline\/tracked\.js$/);
    expect(record?.threadId).toBeGreaterThan(0);
    expect(record?.end).toBeGreaterThanOrEqual(record?.start as number);
  });

  it('records the calls of many tasks and functions in order, past the first buffer (5,000 calls a task)', async () => {
    const timeline = new Timeline();
    const pool = poolWith(timeline, 1);
    const inputs = Array.from({ length: 5000 }, (_, index) => index);
    expect(await pool.map(tracked.inner, inputs, { chunksize: 5000 })).toEqual(
      inputs.map((x) => x + 1),
    );
    await expect(pool.apply(tracked.fails, ['after'])).rejects.toThrow(new RangeError('after'));
    expect(await pool.map(tracked.outer, [1, 2], { chunksize: 2 })).toEqual([4, 6]);
    expect(calls(timeline, 'inner')).toHaveLength(5002);
    expect(calls(timeline, 'fails')).toMatchObject([
      { outcome: 'error', error: 'RangeError: after' },
    ]);
    const outers = calls(timeline, 'outer');
    expect(outers).toHaveLength(2);
    for (const record of [...outers, ...calls(timeline, 'inner')]) {
      expect(record.module).toMatch(/\/test\/fixtures\/timeline\/tracked\.js$/);
    }
    const starts = calls(timeline, 'inner')
      .slice(0, 5000)
      .map((record) => record.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('refuses an `onRecord` that is not a function', () => {
    expect(() => new Pool({ onRecord: 'yes' as never })).toThrow(
      new TypeError('Expected `options.onRecord` to be a function, got `"yes"` (string)'),
    );
  });
});
