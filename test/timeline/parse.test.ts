import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Timeline, TimelineFormatError } from '../../src/timeline/index.js';
import { at } from './support.js';

/** The error `Timeline.parse` throws for `input`, checked to be a TimelineFormatError. */
function refusal(input: unknown): TimelineFormatError {
  try {
    Timeline.parse(input, { source: 'records.json' });
  } catch (error) {
    expect(error).toBeInstanceOf(TimelineFormatError);
    expect((error as TimelineFormatError).code).toBe('ERR_SELFSAME_TIMELINE_FORMAT');
    return error as TimelineFormatError;
  }
  throw new Error('Timeline.parse accepted it');
}

const document = (records: unknown, extra: object = {}) =>
  JSON.stringify({ format: 'selfsame-timeline', version: 1, threads: {}, records, ...extra });

describe('Timeline.parse', () => {
  it('reads a bare array of records too', () => {
    const timeline = Timeline.parse([at('a', 0, 0, 1), at('b', 1, 0, 1)]);
    expect(timeline.records.map((record) => record.qualname)).toEqual(['a', 'b']);
  });

  it('names the file and the JSON error for text that is not JSON', () => {
    const error = refusal('{"format": ');
    expect(error.message).toMatch(/^Malformed timeline in records\.json: not JSON \(.+\)$/);
    expect(error.path).toBe('$');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('says what a timeline file looks like when given something else', () => {
    expect(refusal('42').message).toBe(
      'Malformed timeline in records.json: Expected an object with `format: "selfsame-timeline"` or an array of records, got `42` (number)',
    );
    expect(refusal(JSON.stringify({ traceEvents: [] })).message).toBe(
      'Malformed timeline in records.json: this is Chrome Trace Event JSON (it has `traceEvents`), not a timeline: open it in Perfetto or chrome://tracing as it is; a timeline file is what `JSON.stringify(timeline)` writes',
    );
    expect(refusal(document([], { title: 'x' })).message).toBe(
      'Malformed timeline in records.json: Unknown field `title`; expected one of `format`, `version`, `threads`, `records`',
    );
    expect(refusal(document([], { version: 2 })).message).toBe(
      'Malformed timeline in records.json: Expected `version` to be `1` (the only version this selfsame reads), got `2` (number)',
    );
    expect(refusal(document({})).message).toBe(
      'Malformed timeline in records.json: Expected `records` to be an array, got an object',
    );
    expect(refusal(document([], { threads: { main: 'x' } })).message).toBe(
      'Malformed timeline in records.json: Expected `threads` to map thread ids (integers) to names (strings), got `main`: `"x"` (string)',
    );
  });

  it('names the record and the field that is wrong', () => {
    const records = [at('a', 0, 0, 1), at('b', 0, 0, 1), { ...at('c', 0, 0, 1), outcome: 'fine' }];
    const error = refusal(document(records));
    expect(error.message).toBe(
      'Malformed timeline in records.json: Expected `records[2].outcome` to be `"ok"` or `"error"`, got `"fine"` (string)',
    );
    expect(error.path).toBe('records[2].outcome');
    expect(refusal(JSON.stringify([{ ...at('a', 0, 0, 1), qualname: '' }])).message).toBe(
      'Malformed timeline in records.json: Expected `[0].qualname` to be a non-empty string, got `""` (string)',
    );
  });

  it('reports progress every 10,000 records and once at the end', () => {
    const exact: number[] = [];
    Timeline.parse(
      Array.from({ length: 20_000 }, (_, i) => at('f', 0, i, 0.5)),
      { onProgress: (done) => exact.push(done) },
    );
    expect(exact).toEqual([10_000, 20_000]);
    const records = Array.from({ length: 25_000 }, (_, i) => at('f', i % 3, i, 0.5));
    const seen: [number, number][] = [];
    Timeline.parse(document(records), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([
      [10_000, 25_000],
      [20_000, 25_000],
      [25_000, 25_000],
    ]);
  });

  it('refuses any corruption of a valid file with a TimelineFormatError, never another error', () => {
    const valid = JSON.stringify([at('a', 0, 0, 1, { args: { n: 1 } }), at('b', 2, 1, 2)]);
    fc.assert(
      fc.property(
        fc.nat({ max: valid.length - 1 }),
        fc.string({ maxLength: 3 }),
        (offset, inserted) => {
          const text = valid.slice(0, offset) + inserted + valid.slice(offset + 1);
          try {
            const timeline = Timeline.parse(text);
            // What parses is a timeline whose records all pass the record check again.
            for (const record of timeline.records) new Timeline().record(record);
          } catch (error) {
            expect(error).toBeInstanceOf(TimelineFormatError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
