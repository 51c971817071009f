/**
 * Where a timed call goes when it ends: the logger's lines, the `onRecord` record and the
 * `performance.measure` entry. An observer that throws never changes the call's outcome.
 */

import type { CallSink, CallSinks } from './channel.js';
import type { TimingSettings } from './options.js';
import type { ExecutionLogger, ExecutionRecord } from './types.js';

/** What one decorated function's wrapper keeps: its settings and its identity, read once. */
export interface Timing extends TimingSettings {
  qualname: string | undefined;
  module: string | undefined;
  prefix: string;
  /** The thread's direct sink slot (see `callSinks`), read on every call. */
  sinks: CallSinks;
}

export const clock = globalThis.performance;
const timeOrigin = clock.timeOrigin;

export function logStart(timing: Timing): void {
  report(
    timing.logger as ExecutionLogger,
    `${timing.prefix}Starting ${timing.qualname} at ${new Date(timeOrigin + clock.now()).toISOString()}`,
  );
}

/**
 * Ends one call: the end and duration lines, the record, the measure. Kept small, each part in
 * its own function, so that V8 inlines it into the wrapper.
 */
export function finishCall(
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
  const sink = timing.sinks.sink;
  if (sink !== undefined) collect(timing, sink, start, end, error, failed);
}

function collect(
  timing: Timing,
  sink: CallSink,
  start: number,
  end: number,
  error: unknown,
  failed: boolean,
): void {
  try {
    sink(
      timing.qualname as string,
      timing.module,
      timeOrigin + start,
      timeOrigin + end,
      failed,
      error,
    );
  } catch (sinkError) {
    rethrowLater(sinkError);
  }
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
