/**
 * A pool's timeline records, worker side: every `trackExecutionTime` call in this worker, heard
 * on its `node:diagnostics_channel` tracing channel, and the span of each task. The records travel
 * back with the task's answer, so they have all arrived when the pool's promise settles. Only
 * loaded when the pool was given `onRecord`: otherwise the channel has no subscriber and a timed
 * call publishes nothing.
 *
 * @internal
 * @packageDocumentation
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { threadId } from 'node:worker_threads';
import { describeThrown } from '../timeline/record.js';
import type { TimelineRecord } from '../timeline/types.js';
import { TRACING_CHANNEL } from '../track-execution-time/channel.js';
import { decode, isEncoded } from './batch.js';
import type { Task, TaskResponse } from './protocol.js';
import { epochNow, qualnameOf } from './records.js';

/** The tracing channel's payload, as far as it is read and marked here. */
interface Traced {
  readonly qualname: string;
  readonly module: string | undefined;
  readonly result?: unknown;
  readonly error?: unknown;
  [STARTED]?: number | undefined;
}

/** Where a call's start time is kept: on the channel's payload, one object per call. */
const STARTED = Symbol('selfsame.pool.started');

/** Collects this worker's records until a task's answer takes them along. */
export interface WorkerRecorder {
  /** Ends a task: adds its span and moves every record made so far into its answer. */
  attach(task: Task, began: number, response: TaskResponse): TaskResponse;
}

/** Subscribes to the timing channel for the life of this worker. */
export function startRecording(flowBase: number): WorkerRecorder {
  // Calls travel as numbers (`CALL_FIELDS` of records.ts per call) and interned strings: structured clone copies
  // a Float64Array in one piece, where it would walk one object per record.
  let calls: number[] = [];
  let strings: string[] = [];
  let interned = new Map<string, number>();
  let spans: TimelineRecord[] = [];
  const names = new Map<string, string>();
  const intern = (text: string | undefined): number => {
    if (text === undefined) return -1;
    let id = interned.get(text);
    if (id === undefined) {
      id = strings.length;
      strings.push(text);
      interned.set(text, id);
    }
    return id;
  };
  const record = (traced: Traced): void => {
    const start = traced[STARTED];
    if (start === undefined) return;
    traced[STARTED] = undefined;
    const failed = 'error' in traced;
    calls.push(
      intern(traced.qualname),
      intern(traced.module),
      start,
      epochNow(),
      failed ? intern(describeThrown(traced.error)) : -1,
    );
  };
  tracingChannel(TRACING_CHANNEL).subscribe({
    start: (message) => {
      (message as Traced)[STARTED] = epochNow();
    },
    // `end` comes right after a call returned or threw. A call that returned a promise has
    // neither `result` nor `error` yet: it is recorded at `asyncEnd`, when the promise settles.
    end: (message) => {
      const traced = message as Traced;
      if ('result' in traced || 'error' in traced) record(traced);
    },
    asyncStart: () => undefined,
    asyncEnd: (message) => record(message as Traced),
    error: () => undefined,
  });
  return {
    attach(task, began, response) {
      const failed =
        !Array.isArray(response) && !isEncoded(response) && response.failure !== undefined;
      spans.push({
        qualname: `run ${qualnameOf(task.ref, names)}`,
        start: began,
        end: epochNow(),
        outcome: failed ? 'error' : 'ok',
        threadId,
        kind: 'pool',
        flowIn: flowBase + task.id,
        args: { task: task.id, items: task.items.length },
      });
      // Records need a report to travel in; packed values are unpacked for it (only when collecting).
      const report = Array.isArray(response)
        ? { values: response }
        : isEncoded(response)
          ? { values: decode(response) }
          : response;
      const records = { threadId, strings, calls: Float64Array.from(calls), spans };
      calls = [];
      strings = [];
      interned = new Map();
      spans = [];
      return { ...report, records };
    },
  };
}
