/**
 * `trackExecutionTime`'s options: checked once per `trackExecutionTime(options)` call, then shared
 * by every function that decorator times.
 */

import { checkBoolean, checkFunction, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import type { ExecutionLogger, ExecutionRecord, TrackExecutionTimeOptions } from './types.js';

/** The options after checking, shared by every function one `trackExecutionTime(options)` decorates. */
export interface TimingSettings {
  readonly enabled: boolean;
  readonly logger: ExecutionLogger | undefined;
  readonly onRecord: ((record: ExecutionRecord) => void) | undefined;
  readonly measure: boolean;
}

const TIMING_OPTION_KEYS = ['enabled', 'logger', 'onRecord', 'performance'];

export function parseTimingOptions(input: TrackExecutionTimeOptions | undefined): TimingSettings {
  checkOptions(input, 'options');
  if (input === undefined) return DEFAULTS;
  checkKnownKeys(input, 'options', TIMING_OPTION_KEYS);
  const given = input as Record<keyof TrackExecutionTimeOptions, unknown>;
  const { enabled = true, logger = console, onRecord, performance = false } = given;
  checkBoolean(enabled, 'options.enabled');
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
  if (onRecord !== undefined) checkFunction(onRecord, 'options.onRecord');
  checkBoolean(performance, 'options.performance');
  return Object.freeze({
    enabled,
    logger: logger === false ? undefined : (logger as ExecutionLogger),
    onRecord: onRecord as TimingSettings['onRecord'],
    measure: performance,
  });
}

const DEFAULTS: TimingSettings = Object.freeze({
  enabled: true,
  logger: console,
  onRecord: undefined,
  measure: false,
});
