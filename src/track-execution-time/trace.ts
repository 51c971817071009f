/**
 * What a timed call publishes on its `node:diagnostics_channel` tracing channel: the payload, and
 * the events that end a call that threw or rejected.
 */

import type { Timing } from './output.js';

/** The payload published on the tracing channel, as Node's own `traceSync` builds it. */
export interface TraceContext {
  readonly qualname: string;
  readonly module: string | undefined;
  readonly self: unknown;
  readonly arguments: unknown[];
  result?: unknown;
  error?: unknown;
}

/** The part of `node:diagnostics_channel`'s `TracingChannel` used here. */
export interface TracingChannel {
  readonly hasSubscribers: boolean;
  readonly start: { publish(message: unknown): void };
  readonly end: { publish(message: unknown): void };
  readonly asyncStart: { publish(message: unknown): void };
  readonly asyncEnd: { publish(message: unknown): void };
  readonly error: { publish(message: unknown): void };
}
export function traceOf(timing: Timing, self: unknown, args: unknown[]): TraceContext {
  return { qualname: timing.qualname as string, module: timing.module, self, arguments: args };
}

export function publishError(
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
