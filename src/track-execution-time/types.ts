/**
 * The public types of `trackExecutionTime`: its options, its logger and the record of one timed
 * call. A leaf: it imports nothing.
 */

/** Any logger with an `info` method, such as `console`, pino or winston. */
export interface ExecutionLogger {
  /** Receives one line of text. */
  info(message: string): void;
}

/** One timed call, as {@link TrackExecutionTimeOptions.onRecord} receives it. */
export interface ExecutionRecord {
  /** The function's qualname, such as `Task.run`. */
  readonly qualname: string;
  /** The function's module URL, when known. */
  readonly module: string | undefined;
  /** When the call started, in milliseconds since the Unix epoch (sub-millisecond precision). */
  readonly start: number;
  /** When it ended: when it returned or threw, or when its promise settled. */
  readonly end: number;
  /** `end - start`, measured on the monotonic clock. */
  readonly durationMs: number;
  /** `ok` when it returned or its promise fulfilled; `error` when it threw or its promise rejected. */
  readonly outcome: 'ok' | 'error';
  /** What was thrown or rejected with, when `outcome` is `error`; otherwise `undefined`. */
  readonly error: unknown;
  /** The worker thread's id; `0` on the main thread. */
  readonly threadId: number;
}

/** The options of {@link trackExecutionTime}. */
export interface TrackExecutionTimeOptions {
  /** `false` returns the decorated function itself, untouched. Default `true`. */
  readonly enabled?: boolean | undefined;
  /** Where the start, end and duration lines go, or `false` for none. Default `console`. */
  readonly logger?: ExecutionLogger | false | undefined;
  /** Receives one structured {@link ExecutionRecord} per call. */
  readonly onRecord?: ((record: ExecutionRecord) => void) | undefined;
  /** `true` adds one `performance.measure` entry per call, named by qualname. Default `false`. */
  readonly performance?: boolean | undefined;
}
