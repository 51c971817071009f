import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/timeline/index.js';
import { at, checkTraceFormat } from './support.js';

function timelineOf(...records: Parameters<Timeline['record']>[0][]): Timeline {
  const timeline = new Timeline();
  for (const record of records) timeline.record(record);
  return timeline;
}

describe('Timeline.toTraceEvents', () => {
  it('names the process and one track per thread, main first', () => {
    const timeline = timelineOf(at('b', 5, 0, 1), at('a', 0, 0, 1), at('c', 2, 0, 1));
    timeline.nameThread(5, 'resizer');
    const trace = timeline.toTraceEvents({ pid: 4242, processName: 'demo' });
    checkTraceFormat(trace);
    const metadata = trace.traceEvents.filter((event) => event.ph === 'M');
    expect(metadata).toEqual([
      { name: 'process_name', ph: 'M', ts: 0, pid: 4242, tid: 0, args: { name: 'demo' } },
      { name: 'thread_name', ph: 'M', ts: 0, pid: 4242, tid: 0, args: { name: 'main' } },
      { name: 'thread_sort_index', ph: 'M', ts: 0, pid: 4242, tid: 0, args: { sort_index: 0 } },
      { name: 'thread_name', ph: 'M', ts: 0, pid: 4242, tid: 2, args: { name: 'worker 2' } },
      { name: 'thread_sort_index', ph: 'M', ts: 0, pid: 4242, tid: 2, args: { sort_index: 1 } },
      { name: 'thread_name', ph: 'M', ts: 0, pid: 4242, tid: 5, args: { name: 'resizer' } },
      { name: 'thread_sort_index', ph: 'M', ts: 0, pid: 4242, tid: 5, args: { sort_index: 2 } },
    ]);
  });

  it('writes one complete event per call, in microseconds from the first start', () => {
    const timeline = timelineOf(
      at('Task.run', 3, 10, 1.5, { module: 'file:///task.js', args: { chunk: 2 } }),
      at('first', 0, 0, 0.25),
    );
    const trace = timeline.toTraceEvents();
    checkTraceFormat(trace);
    expect(trace.otherData).toEqual({ origin: 1_780_000_000_000, generator: 'selfsame' });
    const calls = trace.traceEvents.filter((event) => event.ph === 'X');
    expect(calls).toEqual([
      {
        name: 'first',
        cat: 'selfsame.call',
        ph: 'X',
        ts: 0,
        dur: 250,
        pid: 1,
        tid: 0,
        args: {
          durationMs: 0.25,
          outcome: 'ok',
          threadId: 0,
          startedAt: new Date(1_780_000_000_000).toISOString(),
        },
      },
      {
        name: 'Task.run',
        cat: 'selfsame.call',
        ph: 'X',
        ts: 10_000,
        dur: 1500,
        pid: 1,
        tid: 3,
        args: {
          chunk: 2,
          module: 'file:///task.js',
          durationMs: 1.5,
          outcome: 'ok',
          threadId: 3,
          startedAt: new Date(1_780_000_000_010).toISOString(),
        },
      },
    ]);
  });

  it('keeps nested calls complete events and turns a call that overlaps without nesting into an async pair', () => {
    // Two async calls on one thread: `second` starts while `first` runs and ends after it.
    const timeline = timelineOf(
      at('outer', 0, 0, 100),
      at('first', 0, 10, 40),
      at('inner', 0, 12, 5),
      at('second', 0, 30, 50),
    );
    const trace = timeline.toTraceEvents();
    checkTraceFormat(trace);
    const phases = trace.traceEvents
      .filter((event) => event.ph !== 'M')
      .map((event) => `${event.ph} ${event.name}`);
    expect(phases).toEqual(['X outer', 'X first', 'X inner', 'b second', 'e second']);
    const [begin, end] = trace.traceEvents.filter((event) => event.name === 'second');
    expect(begin).toMatchObject({ ts: 30_000, id: '0x1', cat: 'selfsame.call', tid: 0 });
    expect(end).toMatchObject({ ts: 80_000, id: '0x1' });
  });

  it('marks a call that threw: error category, colour, the error in its args, an instant event', () => {
    const trace = timelineOf(
      at('parse', 2, 0, 4, { outcome: 'error', error: 'SyntaxError: bad' }),
    ).toTraceEvents();
    checkTraceFormat(trace);
    const events = trace.traceEvents.filter((event) => event.ph !== 'M');
    expect(events[0]).toMatchObject({
      name: 'parse',
      ph: 'X',
      cat: 'selfsame.call,error',
      cname: 'terrible',
      args: { outcome: 'error', error: 'SyntaxError: bad' },
    });
    expect(events[1]).toEqual({
      name: 'threw',
      cat: 'selfsame.call,error',
      ph: 'i',
      s: 't',
      ts: 4000,
      pid: 1,
      tid: 2,
    });
  });

  it('draws a flow from the dispatch on the main thread to the task start in the worker', () => {
    const trace = timelineOf(
      at('dispatch f', 0, 1, 0.2, { kind: 'pool', flowOut: 31 }),
      at('task f', 6, 2, 10, { kind: 'pool', flowIn: 31 }),
    ).toTraceEvents();
    checkTraceFormat(trace);
    const flow = trace.traceEvents.filter((event) => event.ph === 's' || event.ph === 'f');
    expect(flow).toEqual([
      // Halfway into the dispatch span (Unix milliseconds hold a quarter of a microsecond).
      {
        name: 'dispatch',
        cat: 'selfsame.flow',
        ph: 's',
        id: '0x1f',
        ts: expect.closeTo(100, 0),
        pid: 1,
        tid: 0,
      },
      {
        name: 'dispatch',
        cat: 'selfsame.flow',
        ph: 'f',
        bp: 'e',
        id: '0x1f',
        ts: 1000,
        pid: 1,
        tid: 6,
      },
    ]);
    expect(trace.traceEvents.find((event) => event.name === 'task f')?.cat).toBe('selfsame.pool');
  });

  it('keeps the format for many random overlapping calls on several threads', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const timeline = new Timeline();
    for (let i = 0; i < 2000; i++) {
      timeline.record(at(`f${i % 9}`, Math.floor(random() * 4), random() * 1000, random() * 50));
    }
    const trace = timeline.toTraceEvents();
    checkTraceFormat(trace);
    const perCall = trace.traceEvents.filter((event) => event.ph === 'X' || event.ph === 'b');
    expect(perCall).toHaveLength(2000);
  });

  it('writes an empty trace for an empty timeline', () => {
    const trace = new Timeline().toTraceEvents();
    checkTraceFormat(trace);
    expect(trace.traceEvents).toHaveLength(1);
  });
});
