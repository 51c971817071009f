import { expect } from 'vitest';
import type { TimelineRecord, TraceDocument, TraceEvent } from '../../src/timeline/index.js';

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

/**
 * Checks a document against the Trace Event Format's JSON Object Format: the fields each phase
 * needs, microsecond numbers, balanced async and flow pairs, and complete events that nest
 * within each thread (the viewer's stacking rule: a partial overlap corrupts the stack).
 */
export function checkTraceFormat(document: TraceDocument): void {
  expect(Object.keys(document).sort()).toEqual(['displayTimeUnit', 'otherData', 'traceEvents']);
  expect(document.displayTimeUnit).toBe('ms');
  const open = new Map<string, TraceEvent>();
  const flows = new Map<string, TraceEvent>();
  const slices = new Map<number, TraceEvent[]>();
  for (const event of document.traceEvents) {
    expect(typeof event.name).toBe('string');
    expect(['X', 'b', 'e', 's', 'f', 'i', 'M']).toContain(event.ph);
    expect(Number.isFinite(event.ts) && event.ts >= 0).toBe(true);
    expect(Number.isSafeInteger(event.pid) && Number.isSafeInteger(event.tid)).toBe(true);
    switch (event.ph) {
      case 'M':
        expect(['process_name', 'thread_name', 'thread_sort_index']).toContain(event.name);
        expect(event.args).toBeDefined();
        break;
      case 'X':
        expect(Number.isFinite(event.dur) && (event.dur as number) >= 0).toBe(true);
        slices.set(event.tid, [...(slices.get(event.tid) ?? []), event]);
        break;
      case 'b':
        expect(typeof event.id).toBe('string');
        expect(typeof event.cat).toBe('string');
        open.set(`${event.cat}/${event.id}`, event);
        break;
      case 'e': {
        const begin = open.get(`${event.cat}/${event.id}`);
        expect(begin?.name).toBe(event.name);
        expect(event.ts).toBeGreaterThanOrEqual(begin?.ts ?? Number.POSITIVE_INFINITY);
        open.delete(`${event.cat}/${event.id}`);
        break;
      }
      case 's':
        flows.set(`${event.cat}/${event.id}`, event);
        break;
      case 'f': {
        expect(event.bp).toBe('e');
        const start = flows.get(`${event.cat}/${event.id}`);
        expect(start?.name).toBe(event.name);
        flows.delete(`${event.cat}/${event.id}`);
        break;
      }
      case 'i':
        expect(event.s).toBe('t');
        break;
    }
  }
  expect([...open.keys()]).toEqual([]);
  expect([...flows.keys()]).toEqual([]);
  for (const list of slices.values()) {
    const stack: TraceEvent[] = [];
    for (const slice of [...list].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))) {
      while (stack.length > 0) {
        const top = stack.at(-1) as TraceEvent;
        if (top.ts + (top.dur ?? 0) <= slice.ts) stack.pop();
        else break;
      }
      const parent = stack.at(-1);
      if (parent !== undefined) {
        expect(slice.ts + (slice.dur ?? 0)).toBeLessThanOrEqual(parent.ts + (parent.dur ?? 0));
      }
      stack.push(slice);
    }
  }
}
