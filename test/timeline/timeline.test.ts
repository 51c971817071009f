import { describe, expect, it } from 'vitest';
import { trackExecutionTime } from '../../src/index.js';
import { Timeline, TimelineFormatError } from '../../src/timeline/index.js';
import { at } from './support.js';

describe('Timeline', () => {
  it('takes trackExecutionTime records as `onRecord`, a call that threw as text', async () => {
    const timeline = new Timeline();
    const track = trackExecutionTime({ logger: false, onRecord: timeline.record });
    const add = track(function add(a: number, b: number) {
      return a + b;
    });
    const fail = track(function fail(): never {
      throw new RangeError('too far');
    });
    const later = track(async function later() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'done';
    });
    expect(add(2, 3)).toBe(5);
    expect(() => fail()).toThrow(new RangeError('too far'));
    await expect(later()).resolves.toBe('done');
    const [added, failed, awaited] = timeline.records;
    expect(added).toEqual({
      qualname: '<lambda>.<locals>.add',
      module: import.meta.url,
      start: expect.any(Number),
      end: expect.any(Number),
      outcome: 'ok',
      threadId: 0,
    });
    expect(failed).toMatchObject({ outcome: 'error', error: 'RangeError: too far' });
    expect(awaited?.qualname).toBe('<lambda>.<locals>.later');
    expect((awaited?.end ?? 0) - (awaited?.start ?? 0)).toBeGreaterThanOrEqual(4);
  });

  it('keeps a custom error class name, a SelfsameError name and a thrown string', () => {
    class QuotaError extends Error {
      override name = 'QuotaError';
    }
    const timeline = new Timeline();
    const failing = (error: unknown) => at('f', 0, 0, 1, { outcome: 'error', error } as never);
    timeline.record(failing(new QuotaError('full')));
    timeline.record(failing(new TimelineFormatError('bad file', '$')));
    timeline.record(failing('plain text'));
    timeline.record(failing(42));
    expect(timeline.records.map((record) => record.error)).toEqual([
      'QuotaError: full',
      'TimelineFormatError: bad file',
      'plain text',
      '`42` (number)',
    ]);
  });

  it('refuses a malformed record, naming the field and what it held', () => {
    const timeline = new Timeline();
    expect(() => timeline.record({ ...at('f', 0, 0, 1), start: Number.NaN })).toThrow(
      new TypeError(
        'Expected `record.start` to be a finite number of milliseconds since the Unix epoch, got `NaN` (number)',
      ),
    );
    expect(() => timeline.record({ ...at('f', 0, 5, 1), end: 1 })).toThrow(
      new TypeError(
        'Expected `record.end` to be a finite number of milliseconds, not before `start` (1780000000005), got `1` (number)',
      ),
    );
    expect(() => timeline.record({ ...at('f', 0, 0, 1), threadId: -1 })).toThrow(
      new TypeError('Expected `record.threadId` to be an integer from 0 and up, got `-1` (number)'),
    );
    expect(() => timeline.record({ ...at('f', 0, 0, 1), args: { big: 1n } } as never)).toThrow(
      new TypeError(
        'Expected `record.args.big` to be a string, a finite number, a boolean or null, got `1` (bigint)',
      ),
    );
    expect(() => timeline.record({ ...at('f', 0, 0, 1), stat: 1 } as never)).toThrow(
      /^Expected `record\.stat` to be absent \(not a record field; the fields are qualname, module, /,
    );
    expect(timeline.records).toEqual([]);
  });

  it('round-trips through JSON.stringify and Timeline.parse, thread names included', () => {
    const timeline = new Timeline();
    timeline.record(at('a', 0, 0, 3, { module: 'file:///a.js', args: { task: 1 } }));
    timeline.record(at('b', 4, 1, 2, { kind: 'pool', flowIn: 7, outcome: 'error', error: 'E: x' }));
    timeline.nameThread(4, 'encoder');
    const copy = Timeline.parse(JSON.stringify(timeline));
    expect(copy.records).toEqual(timeline.records);
    expect(copy.threads).toEqual({ 4: 'encoder' });
    expect(JSON.parse(JSON.stringify(timeline))).toMatchObject({
      format: 'selfsame-timeline',
      version: 1,
    });
  });

  it('checks its arguments', () => {
    const timeline = new Timeline();
    expect(() => timeline.nameThread(1.5, 'x')).toThrow(
      new TypeError('Expected `threadId` to be an integer from 0 and up, got `1.5` (number)'),
    );
    expect(() => timeline.nameThread(1, '')).toThrow(
      new TypeError('Expected `name` to be a non-empty string, got `""` (string)'),
    );
    expect(() => timeline.toHTML({ title: 3 } as never)).toThrow(
      new TypeError('Expected `options.title` to be a string, got `3` (number)'),
    );
    expect(() => timeline.toTraceEvents({ pid: -2 })).toThrow(
      new TypeError('Expected `options.pid` to be an integer from 0 and up, got `-2` (number)'),
    );
    expect(() => timeline.toTraceEvents('x' as never)).toThrow(
      new TypeError('Expected `options` to be an object, got `"x"` (string)'),
    );
    expect(() => timeline.toHTML({ titel: 'x' } as never)).toThrow(
      new TypeError('Unknown option `options.titel`; expected one of `title`'),
    );
    expect(() => timeline.toTraceEvents({ pId: 2 } as never)).toThrow(
      new TypeError('Unknown option `options.pId`; expected one of `pid`, `processName`'),
    );
  });

  it('checks the options of Timeline.parse before reading anything', () => {
    expect(() => Timeline.parse('[]', { onProgress: 'yes' } as never)).toThrow(
      new TypeError('Expected `options.onProgress` to be a function, got `"yes"` (string)'),
    );
    expect(() => Timeline.parse('[]', { source: 42 } as never)).toThrow(
      new TypeError('Expected `options.source` to be a non-empty string, got `42` (number)'),
    );
    expect(() => Timeline.parse('[]', { sourc: 'a.json' } as never)).toThrow(
      new TypeError('Unknown option `options.sourc`; expected one of `source`, `onProgress`'),
    );
    expect(() => Timeline.parse('[]', 5 as never)).toThrow(
      new TypeError('Expected `options` to be an object, got `5` (number)'),
    );
  });

  it('reads back a timeline of 300,000 records', () => {
    const records = Array.from({ length: 300_000 }, (_, index) => at('f', 1, index, 0.5));
    const timeline = Timeline.parse(records);
    expect(timeline.records).toHaveLength(300_000);
    expect(timeline.records[299_999]).toEqual(records[299_999]);
    timeline.record(at('g', 1, 0, 1));
    expect(timeline.records).toHaveLength(300_001);
  });
});
