/**
 * Where each record goes: its thread's lane, and the row within the lane. Shared by the trace
 * export (which needs to know which calls nest) and the page (which draws rows).
 */

import type { TimelineRecord } from './types.js';

/** One thread's records, sorted by start, longest first on a tie (so a parent precedes its child). */
export interface Lane {
  readonly threadId: number;
  readonly name: string;
  /** Indexes into the records, in drawing order. */
  readonly order: readonly number[];
}

/** The default name of a thread: `main` for thread 0, `worker N` otherwise. */
export function threadName(threadId: number, names: Readonly<Record<string, string>>): string {
  return names[String(threadId)] ?? (threadId === 0 ? 'main' : `worker ${threadId}`);
}

/** Groups records by thread (main thread first, then by id) and sorts each lane. */
export function lanesOf(
  records: readonly TimelineRecord[],
  names: Readonly<Record<string, string>>,
): Lane[] {
  const byThread = new Map<number, number[]>();
  records.forEach((record, index) => {
    let lane = byThread.get(record.threadId);
    if (lane === undefined) {
      lane = [];
      byThread.set(record.threadId, lane);
    }
    lane.push(index);
  });
  return [...byThread.keys()]
    .sort((a, b) => a - b)
    .map((threadId) => {
      const order = byThread.get(threadId) as number[];
      order.sort((a, b) => {
        const left = records[a] as TimelineRecord;
        const right = records[b] as TimelineRecord;
        return left.start - right.start || right.end - left.end || a - b;
      });
      return { threadId, name: threadName(threadId, names), order };
    });
}

/**
 * Which records of a lane nest properly (each inside the one open before it, or after it ended)
 * and which overlap another without nesting, as concurrent async calls on one thread do. Walks
 * the lane once with a stack of open records.
 *
 * @returns the indexes of the records that overlap another without nesting
 */
export function overlapping(records: readonly TimelineRecord[], lane: Lane): Set<number> {
  const open: TimelineRecord[] = [];
  const crossing = new Set<number>();
  for (const index of lane.order) {
    const record = records[index] as TimelineRecord;
    while (open.length > 0 && (open.at(-1) as TimelineRecord).end <= record.start) open.pop();
    const parent = open.at(-1);
    if (parent !== undefined && record.end > parent.end) {
      crossing.add(index);
    } else {
      open.push(record);
    }
  }
  return crossing;
}

/**
 * Packs a lane into rows: each record goes to the first row whose last record has ended, so a
 * nested call sits below its caller and concurrent calls sit side by side. Rows past `maxRows`
 * fold into the last row, so a lane of thousands of concurrent calls stays on screen.
 *
 * @returns the row of each record of the lane, by record index, and the number of rows used
 */
export function packRows(
  records: readonly TimelineRecord[],
  lane: Lane,
  maxRows: number,
): { readonly rows: Map<number, number>; readonly count: number } {
  const ends: number[] = [];
  const rows = new Map<number, number>();
  for (const index of lane.order) {
    const record = records[index] as TimelineRecord;
    let row = ends.findIndex((end) => end <= record.start);
    if (row === -1) {
      row = Math.min(ends.length, maxRows - 1);
      if (row === ends.length) ends.push(record.end);
    }
    ends[row] = Math.max(ends[row] as number, record.end);
    rows.set(index, row);
  }
  return { rows, count: Math.max(1, ends.length) };
}
