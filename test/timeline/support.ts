import type { TimelineRecord } from '../../src/timeline/index.js';

/** A record at `start` ms for `length` ms on `threadId`, with the rest filled in. */
export function at(
  qualname: string,
  threadId: number,
  start: number,
  length: number,
  extra: Partial<TimelineRecord> = {},
): TimelineRecord {
  const base = 1_780_000_000_000;
  return {
    qualname,
    start: base + start,
    end: base + start + length,
    outcome: 'ok',
    threadId,
    ...extra,
  };
}
