/**
 * The Chrome Trace Event JSON export, in the JSON Object Format that Perfetto and
 * `chrome://tracing` open as is: one process, one track per thread (named by `thread_name`
 * metadata events), one complete event (`X`) per call, async events (`b`/`e`) for calls that
 * overlap without nesting, flow events (`s`/`f`) from a dispatch on the main thread to the task's
 * start in the worker, and an instant event (`i`) where a call threw.
 */

import { lanesOf, overlapping } from './layout.js';
import type { TimelineArg, TimelineRecord, TraceDocument, TraceEvent } from './types.js';

/** Options of `Timeline.toTraceEvents`. */
export interface TraceEventsOptions {
  /** The process id written on every event; default `1`. */
  readonly pid?: number | undefined;
  /** The process's name, shown above its threads; default `selfsame`. */
  readonly processName?: string | undefined;
  /** Names of threads by thread id; default `main` for 0 and `worker N` otherwise. */
  readonly threads?: Readonly<Record<string, string>> | undefined;
}

const CALL = 'selfsame.call';
const POOL = 'selfsame.pool';
const FLOW = 'selfsame.flow';

/** Microseconds from `origin`, kept to the nanosecond: the Trace Event Format's unit. */
function micros(ms: number, origin: number): number {
  return Math.round((ms - origin) * 1e6) / 1e3;
}

/**
 * Builds the trace. Timestamps count from the earliest record's start (`otherData.origin` holds
 * it as Unix milliseconds), so that they stay exact in a double.
 *
 * @param records - checked records (see `Timeline`)
 * @param options - `pid`, `processName`, `threads`
 * @returns the trace document; `JSON.stringify` it to get the file
 */
export function buildTraceEvents(
  records: readonly TimelineRecord[],
  options: TraceEventsOptions = {},
): TraceDocument {
  const pid = options.pid ?? 1;
  const names = options.threads ?? {};
  let origin = Number.POSITIVE_INFINITY;
  for (const record of records) if (record.start < origin) origin = record.start;
  if (origin === Number.POSITIVE_INFINITY) origin = 0;
  const lanes = lanesOf(records, names);
  const events: TraceEvent[] = [
    {
      name: 'process_name',
      ph: 'M',
      ts: 0,
      pid,
      tid: 0,
      args: { name: options.processName ?? 'selfsame' },
    },
  ];
  lanes.forEach((lane, position) => {
    events.push(
      { name: 'thread_name', ph: 'M', ts: 0, pid, tid: lane.threadId, args: { name: lane.name } },
      {
        name: 'thread_sort_index',
        ph: 'M',
        ts: 0,
        pid,
        tid: lane.threadId,
        args: { sort_index: position },
      },
    );
  });
  let asyncId = 0;
  for (const lane of lanes) {
    const crossing = overlapping(records, lane);
    for (const index of lane.order) {
      const record = records[index] as TimelineRecord;
      const tid = record.threadId;
      const failed = record.outcome === 'error';
      const base = record.kind === 'pool' ? POOL : CALL;
      const cat = failed ? `${base},error` : base;
      const ts = micros(record.start, origin);
      const dur = micros(record.end, origin) - ts;
      const args = argsOf(record);
      const colour = failed ? { cname: 'terrible' } : {};
      if (crossing.has(index)) {
        asyncId += 1;
        const id = `0x${asyncId.toString(16)}`;
        events.push(
          { name: record.qualname, cat, ph: 'b', ts, pid, tid, id, args, ...colour },
          { name: record.qualname, cat, ph: 'e', ts: ts + dur, pid, tid, id, ...colour },
        );
      } else {
        events.push({ name: record.qualname, cat, ph: 'X', ts, dur, pid, tid, args, ...colour });
      }
      if (failed) {
        events.push({
          name: 'threw',
          cat: `${base},error`,
          ph: 'i',
          s: 't',
          ts: ts + dur,
          pid,
          tid,
        });
      }
      if (record.flowOut !== undefined) {
        // Bound to the slice that encloses it: placed inside the dispatch span, not on its edge.
        events.push({
          name: 'dispatch',
          cat: FLOW,
          ph: 's',
          id: `0x${record.flowOut.toString(16)}`,
          ts: ts + dur / 2,
          pid,
          tid,
        });
      }
      if (record.flowIn !== undefined) {
        events.push({
          name: 'dispatch',
          cat: FLOW,
          ph: 'f',
          bp: 'e',
          id: `0x${record.flowIn.toString(16)}`,
          ts,
          pid,
          tid,
        });
      }
    }
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { origin, generator: 'selfsame' },
  };
}

/** The record's fields as the event's arguments. */
function argsOf(record: TimelineRecord): Record<string, TimelineArg> {
  return {
    ...record.args,
    ...(record.module === undefined ? {} : { module: record.module }),
    durationMs: record.end - record.start,
    outcome: record.outcome,
    ...(record.error === undefined ? {} : { error: record.error }),
    threadId: record.threadId,
    startedAt: new Date(record.start).toISOString(),
  };
}
