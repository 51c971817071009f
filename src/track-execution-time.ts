/**
 * `trackExecutionTime`: the seed article's `track_execution_time` decorator, built with
 * {@link createDecorator}, so it works as a plain call, a standard decorator and a legacy one, and
 * keeps the decorated function's identity.
 *
 * @packageDocumentation
 */

import { createDecorator, type Decorator } from './decorator.js';
import { nodeBuiltin } from './internal/builtins.js';
import { parseTimingOptions } from './internal/timing-options.js';
import type { Timing } from './internal/timing-output.js';
import type { TracingChannel } from './internal/timing-trace.js';
import { timedClass, timedFunction } from './internal/timing-wrappers.js';

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

/** The name of the `node:diagnostics_channel` tracing channel every timed call is published on. */
export const TRACING_CHANNEL = 'selfsame:trackExecutionTime';

let runtime: { channel: TracingChannel | undefined; threadId: number } | undefined;

/** Node's pieces, looked up once, lazily, so that the core imports no `node:` module. */
function runtimeOf(): { channel: TracingChannel | undefined; threadId: number } {
  if (runtime === undefined) {
    const channels = nodeBuiltin<{ tracingChannel?: (name: string) => TracingChannel }>(
      'node:diagnostics_channel',
    );
    const threads = nodeBuiltin<{ threadId: number }>('node:worker_threads');
    runtime = {
      channel: channels?.tracingChannel?.(TRACING_CHANNEL),
      threadId: threads?.threadId ?? 0,
    };
  }
  return runtime;
}

/**
 * Times every call of the decorated function, method, accessor or class constructor: a start
 * line, an end line and a duration line per call to the logger (as the seed article prints), a
 * structured record to `onRecord`, an optional `performance.measure` entry, and a
 * `node:diagnostics_channel` tracing channel ({@link TRACING_CHANNEL}) with `start`, `end`,
 * `asyncStart`, `asyncEnd` and `error` events that APM tools can subscribe to.
 *
 * A function returning a native `Promise` is timed until the promise settles, and the caller gets
 * a promise of the same value or the same rejection; any other return value, thenables included,
 * is returned as it is. A throw is recorded and re-thrown as the same error object; `this`,
 * arguments and return values pass through untouched. An error thrown by the logger or by
 * `onRecord` never replaces the call's outcome: it is re-thrown on a later microtask.
 *
 * @param options - `enabled`, `logger`, `onRecord`, `performance` (see
 *   {@link TrackExecutionTimeOptions}); or the function to decorate, or a decorator's arguments
 * @returns a decorator, or the decorated function when given one
 * @throws TypeError when an option is malformed, naming the option and the value received
 * @throws {@link DecoratorPositionError} on a field, auto-accessor, property or parameter
 * @example
 * ```ts
 * class Task {
 *   @trackExecutionTime()
 *   async run(text: string) { ... }
 * }
 * export const count = trackExecutionTime({ logger: false, onRecord: (r) => records.push(r) })(
 *   function count(text: string) { return text.split(' ').length; },
 * );
 * ```
 */
// Marked pure so that a bundler drops it from a build that never uses it.
export const trackExecutionTime: Decorator<TrackExecutionTimeOptions> =
  /* @__PURE__ */ createDecorator(
    'trackExecutionTime',
    (fn, context) => {
      const settings = context.options;
      if (!settings.enabled) return fn;
      const { channel, threadId } = runtimeOf();
      const timing: Timing = {
        ...settings,
        qualname: undefined,
        module: undefined,
        prefix: threadId === 0 ? '' : `[thread ${threadId}] `,
      };
      return context.kind === 'class'
        ? timedClass(fn, timing, channel, threadId)
        : timedFunction(fn, timing, channel, threadId);
    },
    { options: parseTimingOptions },
  );
