/**
 * A pool's timeline records, worker side: every `trackExecutionTime` call in this worker, handed
 * straight to this module by the timed wrapper (the thread's direct sink, see
 * `track-execution-time/channel.ts`), and the span of each task. The records travel back with the
 * task's answer, so they have all arrived when the pool's promise settles. Only loaded when the
 * pool was given `onRecord`: otherwise the sink stays unset and a timed call records nothing.
 * The public tracing channel is left alone: it publishes only to its own subscribers.
 *
 * @internal
 * @packageDocumentation
 */
import { threadId } from 'node:worker_threads';
import { describeThrown } from '../timeline/record.js';
import type { TimelineRecord } from '../timeline/types.js';
import { callSinks } from '../track-execution-time/channel.js';
import { isReport, reportOf } from './batch.js';
import type { DispatchedTask, TaskResponse } from './protocol.js';
import { CALL_FIELDS, epochNow, qualnameOf } from './records.js';

/** Collects this worker's records until a task's answer takes them along. */
export interface WorkerRecorder {
  /** Ends a task: adds its span and moves every record made so far into its answer. */
  attach(task: DispatchedTask, began: number, response: TaskResponse): TaskResponse;
}

/** Fills this thread's direct sink for the life of this worker. */
export function startRecording(flowBase: number): WorkerRecorder {
  // Calls travel as numbers (`CALL_FIELDS` of records.ts per call) and interned strings: structured
  // clone copies a Float64Array in one piece, where it would walk one object per record. The
  // buffer is kept and grown across tasks; each answer takes a copy of its used part.
  let calls = new Float64Array(CALL_FIELDS * 1024);
  let used = 0;
  let strings: string[] = [];
  let interned = new Map<string, number>();
  // The last qualname and module seen, and their indexes: consecutive calls of one function (a
  // `map`) skip the lookup.
  let lastQualname: string | undefined;
  let lastQualnameId = -1;
  let lastModule: string | undefined;
  let lastModuleId = -1;
  let spans: TimelineRecord[] = [];
  const names = new Map<string, string>();
  const intern = (text: string): number => {
    let id = interned.get(text);
    if (id === undefined) {
      id = strings.length;
      strings.push(text);
      interned.set(text, id);
    }
    return id;
  };
  const grow = (): void => {
    const larger = new Float64Array(calls.length * 2);
    larger.set(calls);
    calls = larger;
  };
  callSinks().sink = (qualname, module, start, end, failed, error) => {
    if (used + CALL_FIELDS > calls.length) grow();
    if (qualname !== lastQualname) {
      lastQualname = qualname;
      lastQualnameId = intern(qualname);
    }
    if (module !== lastModule) {
      lastModule = module;
      lastModuleId = module === undefined ? -1 : intern(module);
    }
    calls[used] = lastQualnameId;
    calls[used + 1] = lastModuleId;
    calls[used + 2] = start;
    calls[used + 3] = end;
    calls[used + 4] = failed ? intern(describeThrown(error)) : -1;
    used += CALL_FIELDS;
  };
  return {
    attach(task, began, response) {
      const failed = isReport(response) && response.failure !== undefined;
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
      const report = reportOf(response);
      const records = { threadId, strings, calls: calls.slice(0, used), spans };
      used = 0;
      strings = [];
      interned = new Map();
      lastQualname = undefined;
      lastModule = undefined;
      lastModuleId = -1;
      spans = [];
      return { ...report, records };
    },
  };
}
