/**
 * `trackExecutionTime`: the seed article's `track_execution_time` decorator, built with
 * {@link createDecorator}, so it works as a plain call, a standard decorator and a legacy one, and
 * keeps the decorated function's identity.
 *
 * @packageDocumentation
 */

import { createDecorator, type Decorator } from './decorator.js';
import { type AnyFunction, identityOf } from './identity.js';
import { nodeBuiltin } from './internal/builtins.js';
import { checkKnownKeys, checkOptions } from './internal/check.js';
import { describeValue } from './internal/describe.js';

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

/** The options after checking, shared by every function one `trackExecutionTime(options)` decorates. */
interface Settings {
  readonly enabled: boolean;
  readonly logger: ExecutionLogger | undefined;
  readonly onRecord: ((record: ExecutionRecord) => void) | undefined;
  readonly measure: boolean;
}

/** What one decorated function's wrapper keeps: its settings and its identity, read once. */
interface Timing extends Settings {
  qualname: string | undefined;
  module: string | undefined;
  prefix: string;
}

/** The payload published on the tracing channel, as Node's own `traceSync` builds it. */
interface TraceContext {
  readonly qualname: string;
  readonly module: string | undefined;
  readonly self: unknown;
  readonly arguments: unknown[];
  result?: unknown;
  error?: unknown;
}

/** The part of `node:diagnostics_channel`'s `TracingChannel` used here. */
interface TracingChannel {
  readonly hasSubscribers: boolean;
  readonly start: { publish(message: unknown): void };
  readonly end: { publish(message: unknown): void };
  readonly asyncStart: { publish(message: unknown): void };
  readonly asyncEnd: { publish(message: unknown): void };
  readonly error: { publish(message: unknown): void };
}

/** The name of the `node:diagnostics_channel` tracing channel every timed call is published on. */
export const TRACING_CHANNEL = 'selfsame:trackExecutionTime';

const OPTION_KEYS = ['enabled', 'logger', 'onRecord', 'performance'];
const clock = globalThis.performance;
const timeOrigin = clock.timeOrigin;

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
    { options: parseOptions },
  );

function timedFunction(
  fn: AnyFunction,
  timing: Timing,
  channel: TracingChannel | undefined,
  threadId: number,
): AnyFunction {
  return function wrapper(this: unknown, ...args: unknown[]): unknown {
    if (timing.qualname === undefined) identify(timing, wrapper);
    const trace = channel?.hasSubscribers === true ? traceOf(timing, this, args) : undefined;
    if (timing.logger !== undefined) logStart(timing);
    if (trace !== undefined) (channel as TracingChannel).start.publish(trace);
    const start = clock.now();
    let result: unknown;
    try {
      result = Reflect.apply(fn, this, args);
    } catch (error) {
      finish(timing, start, error, true, threadId);
      if (trace !== undefined) publishError(channel as TracingChannel, trace, error, false);
      throw error;
    }
    if (result instanceof Promise) return settle(timing, start, result, channel, trace, threadId);
    finish(timing, start, undefined, false, threadId);
    if (trace !== undefined) {
      trace.result = result;
      (channel as TracingChannel).end.publish(trace);
    }
    return result;
  };
}

function timedClass(
  fn: AnyFunction,
  timing: Timing,
  channel: TracingChannel | undefined,
  threadId: number,
): AnyFunction {
  const base = fn as unknown as new (...args: unknown[]) => object;
  // A subclass keeps `instanceof`, static members and `new.target` working for the decorated class.
  const timed = class extends base {
    constructor(...args: unknown[]) {
      if (timing.qualname === undefined) identify(timing, timed);
      const trace = channel?.hasSubscribers === true ? traceOf(timing, undefined, args) : undefined;
      if (timing.logger !== undefined) logStart(timing);
      if (trace !== undefined) (channel as TracingChannel).start.publish(trace);
      const start = clock.now();
      try {
        super(...args);
      } catch (error) {
        finish(timing, start, error, true, threadId);
        if (trace !== undefined) publishError(channel as TracingChannel, trace, error, false);
        throw error;
      }
      finish(timing, start, undefined, false, threadId);
      if (trace !== undefined) {
        trace.result = this;
        (channel as TracingChannel).end.publish(trace);
      }
    }
  };
  return timed as unknown as AnyFunction;
}

/** Reads the wrapper's identity once, on its first call, when selfsame has finished setting it. */
function identify(timing: Timing, wrapper: Function): void {
  const identity = identityOf(wrapper);
  timing.module = identity.module;
  timing.qualname = identity.qualname || '<anonymous>';
}

function traceOf(timing: Timing, self: unknown, args: unknown[]): TraceContext {
  return { qualname: timing.qualname as string, module: timing.module, self, arguments: args };
}

function publishError(
  channel: TracingChannel,
  trace: TraceContext,
  error: unknown,
  async: boolean,
) {
  trace.error = error;
  channel.error.publish(trace);
  if (async) {
    channel.asyncStart.publish(trace);
    channel.asyncEnd.publish(trace);
  } else {
    channel.end.publish(trace);
  }
}

/** Times a promise until it settles; the caller's promise fulfils or rejects as the original. */
function settle(
  timing: Timing,
  start: number,
  promise: Promise<unknown>,
  channel: TracingChannel | undefined,
  trace: TraceContext | undefined,
  threadId: number,
): Promise<unknown> {
  if (trace !== undefined) (channel as TracingChannel).end.publish(trace);
  return promise.then(
    (value) => {
      finish(timing, start, undefined, false, threadId);
      if (trace !== undefined) {
        trace.result = value;
        (channel as TracingChannel).asyncStart.publish(trace);
        (channel as TracingChannel).asyncEnd.publish(trace);
      }
      return value;
    },
    (error: unknown) => {
      finish(timing, start, error, true, threadId);
      if (trace !== undefined) publishError(channel as TracingChannel, trace, error, true);
      throw error;
    },
  );
}

function logStart(timing: Timing): void {
  report(
    timing.logger as ExecutionLogger,
    `${timing.prefix}Starting ${timing.qualname} at ${new Date(timeOrigin + clock.now()).toISOString()}`,
  );
}

/**
 * Ends one call: the end and duration lines, the record, the measure. Kept small, each part in
 * its own function, so that V8 inlines it into the wrapper.
 */
function finish(
  timing: Timing,
  start: number,
  error: unknown,
  failed: boolean,
  threadId: number,
): void {
  const end = clock.now();
  if (timing.logger !== undefined) logEnd(timing, timing.logger, start, end, failed);
  if (timing.onRecord !== undefined)
    emit(timing, timing.onRecord, start, end, error, failed, threadId);
  if (timing.measure) measure(timing, start, end, failed);
}

function logEnd(
  timing: Timing,
  logger: ExecutionLogger,
  start: number,
  end: number,
  failed: boolean,
) {
  const at = new Date(timeOrigin + end).toISOString();
  report(logger, `${timing.prefix}Ending ${timing.qualname} at ${at}${failed ? ' (threw)' : ''}`);
  report(logger, `${timing.prefix}Duration of ${timing.qualname}: ${(end - start).toFixed(3)} ms`);
}

function emit(
  timing: Timing,
  onRecord: (record: ExecutionRecord) => void,
  start: number,
  end: number,
  error: unknown,
  failed: boolean,
  threadId: number,
): void {
  const record: ExecutionRecord = {
    qualname: timing.qualname as string,
    module: timing.module,
    start: timeOrigin + start,
    end: timeOrigin + end,
    durationMs: end - start,
    outcome: failed ? 'error' : 'ok',
    error,
    threadId,
  };
  try {
    onRecord(record);
  } catch (sinkError) {
    rethrowLater(sinkError);
  }
}

function measure(timing: Timing, start: number, end: number, failed: boolean): void {
  clock.measure(timing.qualname as string, {
    start,
    end,
    detail: { module: timing.module, outcome: failed ? 'error' : 'ok' },
  });
}

function report(logger: ExecutionLogger, line: string): void {
  try {
    logger.info(line);
  } catch (error) {
    rethrowLater(error);
  }
}

/**
 * Surfaces an observer's failure as an uncaught exception, as `node:diagnostics_channel` does
 * with a failing subscriber, instead of replacing the timed call's own result or error.
 */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

function parseOptions(input: TrackExecutionTimeOptions | undefined): Settings {
  checkOptions(input, 'options');
  if (input === undefined) return DEFAULTS;
  checkKnownKeys(input, 'options', OPTION_KEYS);
  const given = input as Record<keyof TrackExecutionTimeOptions, unknown>;
  const { enabled = true, logger = console, onRecord, performance = false } = given;
  if (typeof enabled !== 'boolean') {
    throw new TypeError(
      `Expected \`options.enabled\` to be a boolean, got ${describeValue(enabled)}`,
    );
  }
  if (
    logger !== false &&
    (typeof logger !== 'object' ||
      logger === null ||
      typeof (logger as Partial<ExecutionLogger>).info !== 'function')
  ) {
    throw new TypeError(
      `Expected \`options.logger\` to be \`false\` or an object with an \`info\` method, got ${describeValue(logger)}`,
    );
  }
  if (onRecord !== undefined && typeof onRecord !== 'function') {
    throw new TypeError(
      `Expected \`options.onRecord\` to be a function, got ${describeValue(onRecord)}`,
    );
  }
  if (typeof performance !== 'boolean') {
    throw new TypeError(
      `Expected \`options.performance\` to be a boolean, got ${describeValue(performance)}`,
    );
  }
  return Object.freeze({
    enabled,
    logger: logger === false ? undefined : (logger as ExecutionLogger),
    onRecord: onRecord as Settings['onRecord'],
    measure: performance,
  });
}

const DEFAULTS: Settings = Object.freeze({
  enabled: true,
  logger: console,
  onRecord: undefined,
  measure: false,
});
