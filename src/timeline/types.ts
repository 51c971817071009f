/**
 * The shapes a timeline reads and writes: one record per timed call or pool span, the document
 * that holds them (the `records.json` the command line reads), and the Chrome Trace Event JSON it
 * exports. A leaf: it imports nothing.
 *
 * @packageDocumentation
 */

/** A value a record's `args` may hold: anything JSON keeps as it is. */
export type TimelineArg = string | number | boolean | null;

/**
 * One bar of the timeline: a call timed by `trackExecutionTime` (its `onRecord` record, with the
 * error turned into text) or one of a pool's own task spans.
 */
export interface TimelineRecord {
  /** What ran, such as `Task.run`; pool spans are named `queued <qualname>`,
   * `dispatch <qualname>`, `task <qualname>` and `run <qualname>`. */
  readonly qualname: string;
  /** The function's module URL, when known. */
  readonly module?: string | undefined;
  /** When it started, in milliseconds since the Unix epoch (sub-millisecond precision). */
  readonly start: number;
  /** When it ended, in the same unit; never before `start`. */
  readonly end: number;
  /** `ok`, or `error` when it threw or its promise rejected. */
  readonly outcome: 'ok' | 'error';
  /** What it threw, as text (`TypeError: bad input`), when `outcome` is `error`. */
  readonly error?: string | undefined;
  /** The thread it ran on: the worker's `threadId`, `0` for the main thread. */
  readonly threadId: number;
  /** `call` for a timed call (the default), `pool` for a pool's own span. */
  readonly kind?: 'call' | 'pool' | undefined;
  /** This span hands work on: a flow arrow starts here and ends at the record whose `flowIn` matches. */
  readonly flowOut?: number | undefined;
  /** This span receives the work that the record with the same `flowOut` handed on. */
  readonly flowIn?: number | undefined;
  /** Extra fields shown in the details and exported as the event's arguments. */
  readonly args?: Readonly<Record<string, TimelineArg>> | undefined;
}

/** The JSON form of a timeline: what `JSON.stringify(timeline)` writes and the command line reads. */
export interface TimelineDocument {
  /** Always `selfsame-timeline`: tells this file from any other JSON. */
  readonly format: 'selfsame-timeline';
  /** The version of this layout, `1`. */
  readonly version: 1;
  /** Names of threads by thread id; a thread without one is shown as `main` or `worker N`. */
  readonly threads: Readonly<Record<string, string>>;
  /** Every record, in the order they were collected. */
  readonly records: readonly TimelineRecord[];
}

/** The phases of the Trace Event Format that selfsame writes. */
export type TracePhase = 'X' | 'b' | 'e' | 's' | 'f' | 'i' | 'M';

/** One event of the Trace Event Format; times are in microseconds. */
export interface TraceEvent {
  /** The event's name: the qualname for a call, the metadata name for `M` events. */
  readonly name: string;
  /** Comma-separated categories, such as `selfsame.call` or `selfsame.call,error`. */
  readonly cat?: string;
  /** The phase: complete, async begin/end, flow start/end, instant or metadata. */
  readonly ph: TracePhase;
  /** The timestamp, in microseconds from the timeline's origin (see `otherData.origin`). */
  readonly ts: number;
  /** A complete event's duration, in microseconds. */
  readonly dur?: number;
  /** The process id. */
  readonly pid: number;
  /** The thread id. */
  readonly tid: number;
  /** An async or flow event's id, which pairs its begin with its end. */
  readonly id?: string;
  /** A flow end's binding point: `e`, the slice that encloses it. */
  readonly bp?: 'e';
  /** An instant event's scope: `t`, its thread. */
  readonly s?: 't';
  /** A reserved colour name of the trace viewer (`terrible` for a call that threw). */
  readonly cname?: string;
  /** The record's fields. */
  readonly args?: Readonly<Record<string, TimelineArg>>;
}

/** A Chrome Trace Event JSON document in the JSON Object Format. */
export interface TraceDocument {
  /** The events: metadata first, then one or more per record. */
  readonly traceEvents: readonly TraceEvent[];
  /** How the viewer shows times: `ms`. */
  readonly displayTimeUnit: 'ms';
  /** `origin`: the Unix time in milliseconds that `ts` 0 stands for; `generator`: `selfsame`. */
  readonly otherData: TraceOtherData;
}

/** The `otherData` of a {@link TraceDocument}. */
export interface TraceOtherData {
  /** The Unix time, in milliseconds, that `ts` 0 stands for: the earliest record's start. */
  readonly origin: number;
  /** What wrote the trace: `selfsame`. */
  readonly generator: 'selfsame';
}
