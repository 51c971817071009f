/**
 * `trackExecutionTime`: the seed article's `track_execution_time` decorator, built with
 * {@link createDecorator}, so it works as a plain call, a standard decorator and a legacy one, and
 * keeps the decorated function's identity.
 *
 * @packageDocumentation
 */

import { createDecorator } from '../decorator/create-decorator.js';
import type { Decorator } from '../decorator/types.js';
import { nodeBuiltin } from '../internal/builtins.js';
import { type CallSinks, callSinks, TRACING_CHANNEL } from './channel.js';
import { parseTimingOptions } from './options.js';
import type { Timing } from './output.js';
import type { TracingChannel } from './trace.js';
import type { TrackExecutionTimeOptions } from './types.js';
import { timedClass, timedFunction } from './wrappers.js';

export { TRACING_CHANNEL };

interface Runtime {
  readonly channel: TracingChannel | undefined;
  readonly threadId: number;
  readonly sinks: CallSinks;
}

let runtime: Runtime | undefined;

/** Node's pieces, looked up once, lazily, so that the core imports no `node:` module. */
function runtimeOf(): Runtime {
  if (runtime === undefined) {
    const channels = nodeBuiltin<{ tracingChannel?: (name: string) => TracingChannel }>(
      'node:diagnostics_channel',
    );
    const threads = nodeBuiltin<{ threadId: number }>('node:worker_threads');
    runtime = {
      channel: channels?.tracingChannel?.(TRACING_CHANNEL),
      threadId: threads?.threadId ?? 0,
      sinks: callSinks(),
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
      const { channel, threadId, sinks } = runtimeOf();
      const timing: Timing = {
        ...settings,
        qualname: undefined,
        module: undefined,
        prefix: threadId === 0 ? '' : `[thread ${threadId}] `,
        sinks,
      };
      return context.kind === 'class'
        ? timedClass(fn, timing, channel, threadId)
        : timedFunction(fn, timing, channel, threadId);
    },
    { options: parseTimingOptions },
  );
