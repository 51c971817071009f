import { execFile } from 'node:child_process';
import { tracingChannel } from 'node:diagnostics_channel';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ExecutionRecord,
  identityOf,
  TRACING_CHANNEL,
  trackExecutionTime,
} from '../src/index.js';
import { callSinks } from '../src/track-execution-time/channel.js';

const run = promisify(execFile);
/** Functions decorated inside a test's callback are local objects, as Python names them. */
const LOCAL = '<lambda>.<locals>.';
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

/** A logger that keeps its lines. */
function collectingLogger() {
  const lines: string[] = [];
  return { lines, info: (line: string) => void lines.push(line) };
}

describe('trackExecutionTime, output', () => {
  it('logs a start line, an end line and a duration line per call, naming the qualname', () => {
    const logger = collectingLogger();
    const add = trackExecutionTime({ logger })(function add(a: number, b: number) {
      return a + b;
    });
    expect(add(2, 3)).toBe(5);
    expect(logger.lines).toHaveLength(3);
    expect(logger.lines[0]).toMatch(new RegExp(`^Starting ${LOCAL}add at ${ISO}$`));
    expect(logger.lines[1]).toMatch(new RegExp(`^Ending ${LOCAL}add at ${ISO}$`));
    expect(logger.lines[2]).toMatch(new RegExp(`^Duration of ${LOCAL}add: \\d+\\.\\d{3} ms$`));
  });

  it('marks the end line of a call that threw', () => {
    const logger = collectingLogger();
    const fail = trackExecutionTime({ logger })(function fail() {
      throw new RangeError('no');
    });
    expect(fail).toThrow(new RangeError('no'));
    expect(logger.lines[1]).toMatch(new RegExp(`^Ending ${LOCAL}fail at ${ISO} \\(threw\\)$`));
  });

  it('logs to `console` by default', async () => {
    const script = `
      import { trackExecutionTime } from 'selfsame';
      const task = trackExecutionTime(function task() { return 1; });
      task();
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^Starting task at ${ISO}$`));
    expect(lines[2]).toMatch(/^Duration of task: \d+\.\d{3} ms$/);
  });

  it('names the worker thread in lines and records', async () => {
    const worker = new Worker(new URL('./fixtures/timed-worker.js', import.meta.url));
    // Read now: once the worker has exited (it may, before its message is handled), it is -1.
    const { threadId } = worker;
    const message = await new Promise<{ lines: string[]; records: ExecutionRecord[] }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      },
    );
    await worker.terminate();
    expect(message.lines[0]).toMatch(
      new RegExp(`^\\[thread ${threadId}\\] Starting task at ${ISO}$`),
    );
    expect(message.records[0]?.threadId).toBe(threadId);
  });

  it('logs nothing with `logger: false`', () => {
    const records: ExecutionRecord[] = [];
    const task = trackExecutionTime({ logger: false, onRecord: (r) => records.push(r) })(
      function task() {
        return 1;
      },
    );
    task();
    expect(records).toHaveLength(1);
  });

  it('adds a `performance.measure` entry per call with `performance: true`', () => {
    const measured = trackExecutionTime({ logger: false, performance: true })(
      function measuredTask() {
        return 1;
      },
    );
    const name = `${LOCAL}measuredTask`;
    measured();
    measured();
    const entries = performance.getEntriesByName(name, 'measure');
    expect(entries).toHaveLength(2);
    expect((entries[0] as { detail?: unknown } | undefined)?.detail).toEqual({
      module: import.meta.url,
      outcome: 'ok',
    });
    performance.clearMeasures(name);
  });
});

describe('trackExecutionTime, what passes through', () => {
  it('returns the function itself with `enabled: false`', () => {
    function task() {}
    expect(trackExecutionTime({ enabled: false })(task)).toBe(task);
  });

  it('returns a thenable that is not a native promise as it is, without calling `then`', () => {
    const records: ExecutionRecord[] = [];
    let thenCalls = 0;
    const lazy = {
      // biome-ignore lint/suspicious/noThenProperty: a lazy thenable, such as a query builder, is the case under test.
      then(resolve: (value: number) => void) {
        thenCalls += 1;
        resolve(1);
      },
    };
    const query = trackExecutionTime({ logger: false, onRecord: (r) => records.push(r) })(
      function query() {
        return lazy;
      },
    );
    expect(query()).toBe(lazy);
    expect(thenCalls).toBe(0);
    expect(records).toMatchObject([{ qualname: `${LOCAL}query`, outcome: 'ok' }]);
  });

  it('passes the same values, errors, `this` and records with and without a logger', async () => {
    // With a logger or without, one wrapper: the same outcomes and the same records either way
    // (a guard for any future wrapper specialised for its options, docs/performance.md).
    const timeEach = async (logger: false | ReturnType<typeof collectingLogger>) => {
      const records: ExecutionRecord[] = [];
      const timed = trackExecutionTime({ logger, onRecord: (record) => records.push(record) });
      const boom = new RangeError('boom');
      const late = new TypeError('late');
      const self = { base: 40 };
      const plus = timed(function plus(this: { base: number }, a: number, b: number) {
        return this.base + a + b;
      });
      const fail = timed(function fail(): never {
        throw boom;
      });
      const later = timed(async function later(x: number) {
        return x * 2;
      });
      const rejecting = timed(async function rejecting() {
        throw late;
      });
      const outcomes = [
        plus.call(self, 1, 1),
        (() => {
          try {
            return fail();
          } catch (error) {
            return error;
          }
        })(),
        await later(21),
        await rejecting().catch((error: unknown) => error),
      ];
      const fields = records.map(({ qualname, module, outcome, error, threadId }) => ({
        qualname,
        module,
        outcome,
        error,
        threadId,
      }));
      // `durationMs` is measured on the monotonic clock; the epoch times differ from it only by
      // the rounding of adding the time origin.
      const times = records.every(
        (record) =>
          record.durationMs >= 0 && Math.abs(record.end - record.start - record.durationMs) < 1e-3,
      );
      return { outcomes, fields, times, boom, late };
    };
    const quiet = await timeEach(false);
    const logged = await timeEach(collectingLogger());
    const local = 'timeEach.<locals>.';
    expect(quiet.outcomes).toEqual([42, quiet.boom, 42, quiet.late]);
    expect(logged.outcomes).toEqual([42, logged.boom, 42, logged.late]);
    expect(quiet.outcomes[1]).toBe(quiet.boom);
    expect(quiet.outcomes[3]).toBe(quiet.late);
    expect(quiet.fields).toEqual([
      {
        qualname: `${local}plus`,
        module: import.meta.url,
        outcome: 'ok',
        error: undefined,
        threadId: 0,
      },
      {
        qualname: `${local}fail`,
        module: import.meta.url,
        outcome: 'error',
        error: quiet.boom,
        threadId: 0,
      },
      {
        qualname: `${local}later`,
        module: import.meta.url,
        outcome: 'ok',
        error: undefined,
        threadId: 0,
      },
      {
        qualname: `${local}rejecting`,
        module: import.meta.url,
        outcome: 'error',
        error: quiet.late,
        threadId: 0,
      },
    ]);
    expect(logged.fields).toEqual(
      quiet.fields.map((field, index) => ({
        ...field,
        error: [undefined, logged.boom, undefined, logged.late][index],
      })),
    );
    expect(quiet.times).toBe(true);
    expect(logged.times).toBe(true);
  });

  it('re-throws an error of `onRecord` on a later microtask, keeping the call’s result', async () => {
    const script = `
      import { trackExecutionTime } from 'selfsame';
      const task = trackExecutionTime({ logger: false, onRecord: () => { throw new Error('sink failed'); } })(
        function task() { return 'result'; },
      );
      console.log(task());
    `;
    const failure = await run(process.execPath, ['--input-type=module', '-e', script]).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: 'result\n' });
    expect((failure as { stderr: string }).stderr).toContain('Error: sink failed');
  });
});

describe('trackExecutionTime, tracing channel', () => {
  type Event = [string, unknown, unknown];
  const channel = tracingChannel(TRACING_CHANNEL);
  let handlers: Parameters<typeof channel.subscribe>[0] | undefined;
  afterEach(() => {
    if (handlers) channel.unsubscribe(handlers);
    handlers = undefined;
  });

  function subscribe(): Event[] {
    const events: Event[] = [];
    const record =
      (name: string) =>
      (message: unknown): void => {
        const { result, error } = message as { result?: unknown; error?: unknown };
        events.push([name, result, error]);
      };
    handlers = {
      start: record('start'),
      end: record('end'),
      asyncStart: record('asyncStart'),
      asyncEnd: record('asyncEnd'),
      error: record('error'),
    };
    channel.subscribe(handlers);
    return events;
  }

  it(`is named \`${TRACING_CHANNEL}\``, () => {
    expect(TRACING_CHANNEL).toBe('selfsame:trackExecutionTime');
  });

  it('publishes start and end around a call, with its qualname, this and arguments', () => {
    const events = subscribe();
    const messages: unknown[] = [];
    const keep = (message: unknown) => void messages.push(message);
    channel.start.subscribe(keep);
    const task = trackExecutionTime({ logger: false })(function task(this: object, x: number) {
      return x + 1;
    });
    const self = { tag: 'self' };
    expect(task.call(self, 1)).toBe(2);
    expect(events).toEqual([
      ['start', undefined, undefined],
      ['end', 2, undefined],
    ]);
    channel.start.unsubscribe(keep);
    expect(messages[0]).toMatchObject({
      qualname: `${LOCAL}task`,
      module: import.meta.url,
      self,
      arguments: [1],
    });
  });

  it('publishes error then end for a throw', () => {
    const events = subscribe();
    const boom = new Error('boom');
    const task = trackExecutionTime({ logger: false })(function task() {
      throw boom;
    });
    expect(task).toThrow(boom);
    expect(events).toEqual([
      ['start', undefined, undefined],
      ['error', undefined, boom],
      ['end', undefined, boom],
    ]);
  });

  it('publishes asyncStart and asyncEnd when the promise fulfils', async () => {
    const events = subscribe();
    const task = trackExecutionTime({ logger: false })(async function task() {
      return 'done';
    });
    await expect(task()).resolves.toBe('done');
    expect(events).toEqual([
      ['start', undefined, undefined],
      ['end', undefined, undefined],
      ['asyncStart', 'done', undefined],
      ['asyncEnd', 'done', undefined],
    ]);
  });

  it('publishes error, asyncStart and asyncEnd when the promise rejects', async () => {
    const events = subscribe();
    const boom = new Error('late');
    const task = trackExecutionTime({ logger: false })(async function task() {
      throw boom;
    });
    await expect(task()).rejects.toBe(boom);
    expect(events).toEqual([
      ['start', undefined, undefined],
      ['end', undefined, undefined],
      ['error', undefined, boom],
      ['asyncStart', undefined, boom],
      ['asyncEnd', undefined, boom],
    ]);
  });

  it('publishes to a subscriber that arrives after the decoration and the first calls', async () => {
    const records: ExecutionRecord[] = [];
    const timed = trackExecutionTime({ logger: false, onRecord: (record) => records.push(record) });
    const task = timed(function task(x: number) {
      return x + 1;
    });
    const later = timed(async function later() {
      return 'done';
    });
    expect(task(1)).toBe(2);
    expect(await later()).toBe('done');
    const events = subscribe();
    expect(task(2)).toBe(3);
    expect(await later()).toBe('done');
    expect(events).toEqual([
      ['start', undefined, undefined],
      ['end', 3, undefined],
      ['start', undefined, undefined],
      ['end', undefined, undefined],
      ['asyncStart', 'done', undefined],
      ['asyncEnd', 'done', undefined],
    ]);
    expect(records.map((record) => record.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('publishes nothing and builds no message when nobody subscribes', () => {
    expect(channel.hasSubscribers).toBe(false);
    const task = trackExecutionTime({ logger: false })(function task() {
      return 1;
    });
    expect(task()).toBe(1);
  });
});

describe('trackExecutionTime, options', () => {
  it.each([
    [42, 'Expected `options` to be an object, got `42` (number)'],
    [null, 'Expected `options` to be an object, got `null`'],
    [
      { enable: true },
      'Unknown option `options.enable`; expected one of `enabled`, `logger`, `onRecord`, `performance`',
    ],
    [{ enabled: 'yes' }, 'Expected `options.enabled` to be a boolean, got `"yes"` (string)'],
    [
      { logger: true },
      'Expected `options.logger` to be `false` or an object with an `info` method, got `true` (boolean)',
    ],
    [
      { logger: {} },
      'Expected `options.logger` to be `false` or an object with an `info` method, got an object',
    ],
    [
      { logger: null },
      'Expected `options.logger` to be `false` or an object with an `info` method, got `null`',
    ],
    [
      { logger: console.log },
      'Expected `options.logger` to be `false` or an object with an `info` method, got function `log`',
    ],
    [{ onRecord: [] }, 'Expected `options.onRecord` to be a function, got an array of length 0'],
    [{ performance: 1 }, 'Expected `options.performance` to be a boolean, got `1` (number)'],
  ])('refuses %j', (options, message) => {
    expect(() => trackExecutionTime(options as never)).toThrow(new TypeError(message));
  });

  it('accepts any object with an `info` method', () => {
    const logger = { info: (_: string) => {}, level: 'debug' };
    const task = trackExecutionTime({ logger })(function task() {
      return 1;
    });
    expect(identityOf(task).qualname).toBe(`${LOCAL}task`);
  });
});

describe("trackExecutionTime's direct sink (the pool workers' collector)", () => {
  it('hands every call to the thread sink with the same fields as `onRecord`, and nothing once unset', async () => {
    const records: ExecutionRecord[] = [];
    const heard: unknown[][] = [];
    const timed = trackExecutionTime({ logger: false, onRecord: (record) => records.push(record) });
    const ok = timed(function sinkOk(x: number) {
      return x + 1;
    });
    const thrown = new RangeError('sink');
    const bad = timed(function sinkThrows() {
      throw thrown;
    });
    const later = timed(async function sinkLater() {
      return 'done';
    });
    const sinks = callSinks();
    expect(sinks.sink).toBeUndefined();
    sinks.sink = (...args) => heard.push(args);
    try {
      expect(ok(1)).toBe(2);
      expect(() => bad()).toThrow(thrown);
      expect(await later()).toBe('done');
    } finally {
      sinks.sink = undefined;
    }
    expect(ok(2)).toBe(3);
    expect(heard).toEqual(
      records
        .slice(0, 3)
        .map((record) => [
          record.qualname,
          record.module,
          record.start,
          record.end,
          record.outcome === 'error',
          record.error,
        ]),
    );
    expect(heard.map((args) => args[0])).toEqual([
      `${LOCAL}sinkOk`,
      `${LOCAL}sinkThrows`,
      `${LOCAL}sinkLater`,
    ]);
    expect(heard[1]?.[5]).toBe(thrown);
    expect(records).toHaveLength(4);
    expect(callSinks()).toBe(sinks);
  });
});
