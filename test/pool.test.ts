import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { Piscina } from 'piscina';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  IntegrityError,
  NotReferenceableError,
  ReferenceResolveError,
  SelfsameError,
} from '../dist/errors.js';
import {
  Pool,
  PoolClosedError,
  TaskAbortedError,
  TaskFailedError,
  TaskTimeoutError,
  UncloneableError,
  WorkerExitError,
  WorkerInitError,
  WorkerOutOfMemoryError,
} from '../dist/pool/index.js';
import { loadNamespace } from '../dist/reference/load-module.js';
import { expectError } from './support/errors.js';
import { programPath, runProgram } from './support/programs.js';

// Fixtures are loaded natively, as workers load them: a reference resolves only to the real
// module instance, never to a copy made by vitest's module runner.
// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
type Fixture = Record<string, any>;
const fixtures = new URL('./fixtures/pool/', import.meta.url);
const tasks = (await loadNamespace(new URL('tasks.js', fixtures).href, 'tasks.js'))
  .namespace as Fixture;
const broken = (await loadNamespace(new URL('broken.js', fixtures).href, 'broken.js'))
  .namespace as Fixture;
const shifty = (await loadNamespace(new URL('shifty.js', fixtures).href, 'shifty.js'))
  .namespace as Fixture;

const pools: Pool[] = [];
/** A small pool, terminated after the test whatever happens. */
function open(options: ConstructorParameters<typeof Pool>[0] = {}): Pool {
  const pool = new Pool({ size: 2, ...options });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
  vi.restoreAllMocks();
});

const TASKS = './test/fixtures/pool/tasks.js';

describe('Pool: running work', () => {
  it('applies a function in a worker thread', async () => {
    const pool = open();
    expect(await pool.apply(tasks.add, [2, 3])).toBe(5);
    expect(await pool.apply(tasks.whichThread, [])).toBeGreaterThan(0);
  });

  it('maps in input order, chunked or not', async () => {
    const pool = open();
    const items = Array.from({ length: 50 }, (_, index) => index);
    const doubled = items.map((item) => item * 2);
    expect(await pool.map(tasks.double, items)).toEqual(doubled);
    expect(await pool.map(tasks.double, items, { chunksize: 1 })).toEqual(doubled);
    expect(await pool.map(tasks.double, items, { chunksize: 7 })).toEqual(doubled);
    expect(await pool.map(tasks.double, [])).toEqual([]);
  });

  it('keeps input order when later items finish first', async () => {
    const pool = open();
    const delays = [120, 10, 60, 0];
    const results = await pool.starmap(
      tasks.sleepThenDouble,
      delays.map((ms, index) => [index, ms] as [number, number]),
      { chunksize: 1 },
    );
    expect(results).toEqual([0, 2, 4, 6]);
  });

  it('batches 100,000 small items into a few tasks, all results in order', async () => {
    const pool = open();
    const run = vi.spyOn(Piscina.prototype, 'run');
    const items = Array.from({ length: 100_000 }, (_, index) => index);
    const results = await pool.map(tasks.double, items);
    expect(results).toHaveLength(100_000);
    expect(results.every((value, index) => value === index * 2)).toBe(true);
    // Python's rule: about four tasks per worker.
    expect(run).toHaveBeenCalledTimes(8);
  });

  it('reads async iterables and reports progress after each item', async () => {
    const pool = open();
    async function* numbers() {
      for (let index = 1; index <= 6; index++) yield index;
    }
    const progress: [number, number][] = [];
    const results = await pool.map(tasks.double, numbers(), {
      chunksize: 2,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(progress.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every(([, total]) => total === 6)).toBe(true);
  });

  it('maps over any iterable, a string included (one character per item)', async () => {
    const pool = open();
    expect(await pool.map(tasks.identity, 'abc')).toEqual(['a', 'b', 'c']);
    expect(await pool.map(tasks.double, new Set([1, 2]))).toEqual([2, 4]);
  });

  it('starmaps argument lists and refuses an item that is not one', async () => {
    const pool = open();
    expect(
      await pool.starmap(tasks.add, [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([3, 7]);
    await expect(pool.starmap(tasks.add, [[1, 2], 3] as never)).rejects.toThrow(
      new TypeError('Expected item 1 of `iterable` to be an array of arguments, got `3` (number)'),
    );
  });

  it('imap yields in input order', async () => {
    const pool = open();
    const seen: number[] = [];
    for await (const value of pool.imap(tasks.sleepThenDouble, [0, 1, 2, 3], { chunksize: 1 })) {
      seen.push(value as number);
    }
    expect(seen).toEqual([0, 2, 4, 6]);
  });

  it('imap yields the results before a failure, then throws it', async () => {
    const pool = open();
    const seen: unknown[] = [];
    const iterate = async () => {
      for await (const value of pool.imap(tasks.failAt, [1, 2, 3, 4], { chunksize: 1 })) {
        seen.push(value);
      }
    };
    await expect(iterate()).rejects.toThrow('item 3 failed');
    expect(seen).toEqual([1, 2]);
  });

  it('never loses, duplicates or reorders a healthy result, whatever the chunksize', async () => {
    const pool = open();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 60 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        async (items, chunksize) => {
          const options = chunksize === undefined ? {} : { chunksize };
          const expected = items.map((item) => item * 2);
          expect(await pool.map(tasks.double, items, options)).toEqual(expected);
          const unordered: number[] = [];
          for await (const value of pool.imapUnordered(tasks.double, items, options)) {
            unordered.push(value as number);
          }
          expect(unordered.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('imapUnordered yields every result exactly once', async () => {
    const pool = open();
    const items = Array.from({ length: 40 }, (_, index) => index);
    const seen: number[] = [];
    for await (const value of pool.imapUnordered(tasks.double, items, { chunksize: 3 })) {
      seen.push(value as number);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(items.map((item) => item * 2));
  });

  it('runs the initializer once in each worker, with its arguments, before any task', async () => {
    const pool = open({ initializer: tasks.setTag, initargs: ['ready'] });
    const tags = await pool.map(tasks.readTag, [1, 2, 3, 4, 5, 6], { chunksize: 1 });
    const threads = await pool.map(tasks.whichThread, [1, 2, 3, 4], { chunksize: 1 });
    for (const tag of tags) expect(tag).toMatch(/^ready@\d+$/);
    expect(new Set(tags).size).toBeLessThanOrEqual(2);
    expect(new Set(threads).size).toBeLessThanOrEqual(2);
  });

  it('fails every task fast with WorkerInitError when the initializer throws', async () => {
    const pool = open({ size: 1, initializer: tasks.failToInitialize });
    const error = await pool.apply(tasks.add, [1, 2]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerInitError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_WORKER_INIT',
      message: `The pool's initializer \`failToInitialize\` (${TASKS}) failed in a worker thread, so it cannot run \`add\` (${TASKS})`,
    });
    expect((error as Error).cause).toMatchObject({ message: 'initializer failed' });
    await expect(pool.apply(tasks.add, [1, 2])).rejects.toBeInstanceOf(WorkerInitError);
  });

  it('refuses an initializer that cannot travel: every call rejects with the reason', async () => {
    const local = open({ size: 1, initializer: () => undefined });
    const error = await local.apply(tasks.add, [1, 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReferenceableError);
    expect(error).toMatchObject({ code: 'ERR_SELFSAME_NOT_REFERENCEABLE' });
    const uncloneable = open({ size: 1, initializer: tasks.setTag, initargs: [() => 1] });
    await expect(uncloneable.apply(tasks.add, [1, 2])).rejects.toThrow(UncloneableError);
  });

  it('queues calls in the order they were made, whatever their references cost', async () => {
    const pool = open({ size: 1 });
    await pool.apply(tasks.add, [0, 0]); // `add` is known, `sleepThenDouble` not yet
    const order: string[] = [];
    const first = pool.apply(tasks.sleepThenDouble, [1, 20]).then(() => order.push('first'));
    const second = pool.apply(tasks.add, [1, 1]).then(() => order.push('second'));
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('replaces a worker after maxTasksPerWorker tasks, losing no result', async () => {
    const pool = open({ size: 1, maxTasksPerWorker: 2 });
    const threads = await pool.map(tasks.whichThread, [1, 2, 3, 4, 5, 6], { chunksize: 1 });
    expect(threads).toHaveLength(6);
    expect(new Set(threads).size).toBe(3);
    expect(threads[0]).toBe(threads[1]);
    expect(threads[1]).not.toBe(threads[2]);
  });

  it('disposes (`await using`) by closing: submitted work finishes first', async () => {
    const pool = open({ size: 1 });
    const pending = pool.map(tasks.double, [1, 2]);
    await pool[Symbol.asyncDispose]();
    await expect(pending).resolves.toEqual([2, 4]);
    await expect(pool.apply(tasks.add, [1, 2])).rejects.toBeInstanceOf(PoolClosedError);
  });
});

// One test per row of the fault table in docs/pool.md, in the table's order.
describe('Pool: faults', () => {
  it('task throws: rejects with the error rebuilt, class, message, stack, code and cause kept', async () => {
    const pool = open();
    const error = await pool.apply(tasks.failWithRange, ['out of range']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'out of range', code: 'E_FIXTURE' });
    expect((error as Error).stack).toMatch(
      /^RangeError: out of range\n\s+at failWithRange \(.*tasks\.js/,
    );
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toMatchObject({ message: 'the inner cause' });

    const custom = await pool.apply(tasks.failWithCustom, []).catch((e: unknown) => e);
    expect(custom).toBeInstanceOf(Error);
    expect(custom).toMatchObject({
      name: 'CustomError',
      message: 'custom failure',
      detail: { field: 'x' },
    });
    expect((custom as Error).constructor.name).toBe('CustomError');

    const known = await pool.apply(tasks.failWithSelfsame, []).catch((e: unknown) => e);
    expect(known).toBeInstanceOf(IntegrityError);
    expect(known).toMatchObject({ code: 'ERR_SELFSAME_INTEGRITY', expected: 'aaa', actual: 'bbb' });

    const odd = await pool.apply(tasks.throwString, []).catch((e: unknown) => e);
    expect(odd).toBeInstanceOf(TaskFailedError);
    expect(odd).toMatchObject({
      code: 'ERR_SELFSAME_TASK_FAILED',
      message: `\`throwString\` (${TASKS}) threw a value that is not an Error: \`"a plain string"\` (string)`,
      cause: 'a plain string',
    });
    expect(await pool.apply(tasks.add, [1, 1])).toBe(2);
  });

  it('process.exit(n) in a task: only that task rejects, with the exit code', async () => {
    const pool = open();
    const healthy = pool.starmap(tasks.sleepThenDouble, [
      [1, 50],
      [2, 50],
      [3, 50],
    ]);
    const exited = pool.apply(tasks.exitWith, [7]).catch((e: unknown) => e);
    const error = await exited;
    expect(error).toBeInstanceOf(WorkerExitError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_WORKER_EXIT',
      exitCode: 7,
      message: `The worker thread running \`exitWith\` (${TASKS}) exited with code 7; the worker was replaced`,
    });
    await expect(healthy).resolves.toEqual([2, 4, 6]);
    expect(await pool.apply(tasks.add, [2, 2])).toBe(4);
  });

  it('out of memory: only that task rejects, with its own code', async () => {
    const pool = open({
      size: 1,
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
    });
    const error = await pool.apply(tasks.exhaustMemory, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerOutOfMemoryError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_WORKER_OUT_OF_MEMORY',
      message: `The worker thread running \`exhaustMemory\` (${TASKS}) ran out of memory (its resourceLimits); the worker was replaced`,
    });
    expect(await pool.apply(tasks.add, [3, 3])).toBe(6);
  });

  it('uncaught async throw or unhandled rejection: rejects that task, the pool carries on', async () => {
    const pool = open({ size: 1 });
    const thrown = await pool.apply(tasks.throwLater, ['async boom']).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TaskFailedError);
    expect(thrown).toMatchObject({
      code: 'ERR_SELFSAME_TASK_FAILED',
      message: `\`throwLater\` (${TASKS}) raised an uncaught exception or unhandled rejection in its worker thread; the worker was replaced`,
    });
    expect((thrown as Error).cause).toMatchObject({ message: 'async boom' });
    const rejected = await pool
      .apply(tasks.rejectUnhandled, ['lost promise'])
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(TaskFailedError);
    expect((rejected as Error).cause).toMatchObject({ message: 'lost promise' });
    expect(await pool.apply(tasks.add, [4, 4])).toBe(8);
  });

  it('non-cloneable result: a real error naming the function and the value', async () => {
    const pool = open({ size: 1 });
    const error = await pool.apply(tasks.returnFunction, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncloneableError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_UNCLONEABLE',
      message: `Cannot send the result of \`returnFunction\` (${TASKS}) back from its worker thread: an object whose \`callback\` is function \`callback\` cannot be structured-cloned`,
    });
    expect((error as Error).cause).toMatchObject({ name: 'DataCloneError' });
    const inMap = await pool.map(tasks.returnPromise, [1]).catch((e: unknown) => e);
    expect(inMap).toMatchObject({
      message: `Cannot send the result of \`returnPromise\` (${TASKS}) back from its worker thread: an array of length 2 whose item 1 is an object of class \`WeakMap\` cannot be structured-cloned`,
    });
    const argument = await pool.apply(tasks.identity, [() => 1]).catch((e: unknown) => e);
    expect(argument).toBeInstanceOf(UncloneableError);
    expect(argument).toMatchObject({
      message: `Cannot send the arguments of \`identity\` (${TASKS}) to a worker thread: argument 0 (an anonymous function) cannot be structured-cloned`,
    });
    expect(await pool.apply(tasks.add, [5, 5])).toBe(10);
  });

  it('task hangs: times out from dispatch, not from submission, and the worker is replaced', async () => {
    const pool = open({ size: 1, timeout: 1_000 });
    await pool.apply(tasks.sleepThenDouble, [0, 0]); // the worker is up and the module loaded
    // Three 400 ms tasks queued behind one another take 1,200 ms in all, but each runs 400 ms.
    const queued = [1, 2, 3].map((x) => pool.apply(tasks.sleepThenDouble, [x, 400]));
    await expect(Promise.all(queued)).resolves.toEqual([2, 4, 6]);
    const error = await pool.apply(tasks.spin, []).catch((e: unknown) => e);
    expectError(error, TaskTimeoutError, {
      code: 'ERR_SELFSAME_TASK_TIMEOUT',
      timeout: 1_000,
      message: `\`spin\` (${TASKS}) ran longer than its timeout of 1000 ms; its worker thread was stopped and replaced`,
    });
    expect(await pool.apply(tasks.add, [6, 6])).toBe(12);
  });

  it('crash with several tasks queued: one task per worker, so only the crashing one rejects', async () => {
    const pool = open({ size: 1 });
    const before = pool.apply(tasks.sleepThenDouble, [1, 30]);
    const crash = pool.apply(tasks.exitWith, [3]).catch((e: unknown) => e);
    const after = [2, 3, 4].map((x) => pool.apply(tasks.sleepThenDouble, [x, 10]));
    expect(await crash).toBeInstanceOf(WorkerExitError);
    await expect(Promise.all([before, ...after])).resolves.toEqual([2, 4, 6, 8]);
  });

  it('abort a running task: that task rejects, its worker is replaced, others finish', async () => {
    const pool = open({ size: 1 });
    const controller = new AbortController();
    const running = pool
      .apply(tasks.spin, [], { signal: controller.signal })
      .catch((e: unknown) => e);
    const queued = pool
      .apply(tasks.add, [1, 2], { signal: controller.signal })
      .catch((e: unknown) => e);
    const other = pool.apply(tasks.add, [7, 7]);
    setTimeout(() => controller.abort(new Error('changed my mind')), 50);
    const error = await running;
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_TASK_ABORTED',
      message: `\`spin\` (${TASKS}) was aborted`,
      cause: new Error('changed my mind'),
    });
    expect(await queued).toBeInstanceOf(TaskAbortedError);
    await expect(other).resolves.toBe(14);
  });

  it('error thrown after a task returned: not blamed on the next task; reported, worker recycled', async () => {
    const pool = open({ size: 1 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    // Node's own listener would print the expected warning into the test run's output.
    const printers = process.listeners('warning');
    process.removeAllListeners('warning');
    process.on('warning', onWarning);
    try {
      const first = await pool.apply(tasks.whichThread, []);
      expect(await pool.apply(tasks.throwAfterReturn, ['late boom', 20])).toBe('returned');
      // The late error fires while this innocent task runs on the same worker.
      expect(await pool.apply(tasks.sleepThenDouble, [21, 100])).toBe(42);
      const next = await pool.apply(tasks.whichThread, []);
      expect(next).not.toBe(first);
      await vi.waitFor(() => expect(warnings).toHaveLength(1));
      expect(warnings[0]).toBeInstanceOf(TaskFailedError);
      expect(warnings[0]?.cause).toMatchObject({ message: 'late boom' });
    } finally {
      process.off('warning', onWarning);
      for (const printer of printers) process.on('warning', printer);
    }
  });

  it('task module throws while loading: fails fast every time, never hangs', async () => {
    const pool = open({ size: 1 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await pool.apply(broken.unreachable, []).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReferenceResolveError);
      expect(error).toMatchObject({
        code: 'ERR_SELFSAME_REFERENCE_RESOLVE',
        message:
          'Cannot resolve the reference to `unreachable` in `./test/fixtures/pool/broken.js`: importing the module failed',
        cause: { message: 'this module refuses to load in a worker' },
      });
    }
    expect(await pool.apply(tasks.add, [8, 8])).toBe(16);
  });

  it('the implementation changed since the reference was made: IntegrityError, nothing runs', async () => {
    const pool = open({ size: 1 });
    const error = await pool.apply(shifty.shifty, [1]).catch((e: unknown) => e);
    const { expected, actual } = error as { expected: string; actual: string };
    expectError(error, IntegrityError, {
      code: 'ERR_SELFSAME_INTEGRITY',
      message: `Refused the reference to \`shifty\` in \`./test/fixtures/pool/shifty.js\`: the implementation differs from the one referenced (digest ${actual} instead of ${expected}); to run it anyway, resolve it with \`fromReference(ref, { verifyIntegrity: false })\` (a \`Pool\` always verifies: its workers must load the code the reference was made from)`,
    });
    expect(expected).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(actual).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(actual).not.toBe(expected);
  });

  it('throws an object tagged as an Error (Symbol.toStringTag): TaskFailedError, no fake Error', async () => {
    const pool = open({ size: 1 });
    const error = await pool.apply(tasks.throwFakeError, []).catch((e: unknown) => e);
    expectError(error, TaskFailedError, {
      code: 'ERR_SELFSAME_TASK_FAILED',
      message: `\`throwFakeError\` (${TASKS}) threw a value that is not an Error: an object`,
      cause: { name: 'Fake', message: 'not really an error' },
    });
    expect((error as Error).cause).not.toBeInstanceOf(Error);
  });

  it('throws an error whose `cause` getter throws: the error arrives, its cause described', async () => {
    const pool = open({ size: 1 });
    const error = await pool.apply(tasks.failWithBadCause, []).catch((e: unknown) => e);
    expectError(error, RangeError, {
      message: 'the cause cannot be read',
      code: 'E_BAD_CAUSE',
      cause: '[reading `cause` threw TypeError: no cause here]',
    });
    expect(await pool.apply(tasks.add, [1, 1])).toBe(2);
  });

  it("an argument whose getter throws while it is cloned: UncloneableError, the getter's error as cause", async () => {
    const pool = open({ size: 1 });
    const argument = {
      get secret(): string {
        throw new Error('not readable');
      },
    };
    Object.defineProperty(argument, 'secret', { enumerable: true });
    const error = await pool.apply(tasks.identity, [argument]).catch((e: unknown) => e);
    expectError(error, UncloneableError, {
      code: 'ERR_SELFSAME_UNCLONEABLE',
      message: `Cannot send the arguments of \`identity\` (${TASKS}) to a worker thread: argument 0 (an object) cannot be structured-cloned`,
      cause: new Error('not readable'),
    });
    expect(await pool.apply(tasks.add, [2, 2])).toBe(4);
  });

  it('worker threads cannot start (resourceLimits too small to boot): every call fails fast', async () => {
    const pool = open({
      resourceLimits: {
        maxOldGenerationSizeMb: 1,
        maxYoungGenerationSizeMb: 1,
        codeRangeSizeMb: 1,
      },
    });
    const message = `The pool's worker threads cannot start (Worker terminated due to reaching memory limit: JS heap out of memory), so it cannot run \`add\` (${TASKS}); every call fails the same way. Check what each thread inherits: the pool's \`resourceLimits\` and the process's \`execArgv\` (\`--import\`, \`--require\`)`;
    const calls = [
      pool.apply(tasks.add, [1, 1]),
      pool.apply(tasks.add, [2, 2]),
      pool.map(tasks.add, [1, 2, 3]),
    ].map((call) => call.catch((e: unknown) => e));
    for (const error of await Promise.all(calls)) {
      expectError(error, WorkerInitError, {
        code: 'ERR_SELFSAME_WORKER_INIT',
        message,
        cause: { code: 'ERR_WORKER_OUT_OF_MEMORY' },
      });
    }
    await expect(pool.apply(tasks.add, [3, 3])).rejects.toThrow(message);
    await pool.close();
  });

  it('worker threads cannot start (an --import preload throws in them): every call fails fast', async () => {
    const output = await runProgram('cannot-start.js', {
      execArgv: ['--import', pathToFileURL(programPath('preload-throws.js')).href],
    });
    const { calls, warnings } = JSON.parse(output);
    const failure = {
      name: 'WorkerInitError',
      code: 'ERR_SELFSAME_WORKER_INIT',
      message: `The pool's worker threads cannot start (this preload refuses worker threads), so it cannot run \`add\` (${TASKS}); every call fails the same way. Check what each thread inherits: the pool's \`resourceLimits\` and the process's \`execArgv\` (\`--import\`, \`--require\`)`,
      cause: 'this preload refuses worker threads',
    };
    expect(calls).toEqual([failure, failure, failure, failure]);
    expect(warnings).toEqual([]);
  });

  it('a Pool made while a worker imports a task module (no isMainModule guard): UnguardedModuleError', async () => {
    const lines = (await runProgram('unguarded-main.js'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toContainEqual({
      name: 'UnguardedModuleError',
      code: 'ERR_SELFSAME_UNGUARDED_MODULE',
      message:
        'Cannot start a Pool while a worker thread of another pool imports `./test/fixtures/pool/programs/unguarded-main.js`: that module starts work when it is imported, so every worker would start it again. Guard the work: `if (isMainModule(import.meta)) main();`',
    });
    // main() began in the main thread and in each worker that imported the script, but no
    // worker got as far as starting a pool of its own (each would have printed results).
    expect(lines.filter((line) => 'mainRanIn' in line).length).toBeLessThanOrEqual(3);
    expect(lines.filter((line) => 'results' in line)).toEqual([]);
  });

  it('a function outside the default root (a script started elsewhere): the refusal suggests `root`', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'selfsame-cwd-'));
    try {
      const output = await runProgram('other-directory.js', { cwd });
      const real = realpathSync(cwd);
      expect(JSON.parse(output)).toEqual({
        name: 'NotReferenceableError',
        code: 'ERR_SELFSAME_NOT_REFERENCEABLE',
        message: `Can't serialize add: its module \`${pathToFileURL(fileURLToPath(new URL('tasks.js', fixtures))).href}\` lies neither under the root \`${real}\` nor in a package listed in \`options.packages\`; set \`options.root\` to a directory that holds it, or list its package. The pool's \`root\` defaults to the working directory (\`${real}\`): pass the directory of your modules, for example \`new Pool({ root: import.meta.dirname })\``,
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('close(): running and queued tasks finish, then the workers stop', async () => {
    const pool = open({ size: 1 });
    const running = pool.starmap(tasks.sleepThenDouble, [[1, 50]]);
    const queued = pool.starmap(tasks.sleepThenDouble, [
      [2, 10],
      [3, 10],
    ]);
    await pool.close();
    await expect(running).resolves.toEqual([2]);
    await expect(queued).resolves.toEqual([4, 6]);
  });

  it('terminate(): running and queued tasks reject with PoolClosedError', async () => {
    const pool = open({ size: 1 });
    await pool.apply(tasks.add, [1, 1]);
    const running = pool.apply(tasks.spin, []).catch((e: unknown) => e);
    const queued = pool.apply(tasks.add, [1, 2]).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.terminate();
    expect(await running).toMatchObject({
      code: 'ERR_SELFSAME_POOL_CLOSED',
      message: `The pool was terminated before \`spin\` (${TASKS}) finished`,
    });
    expect(await queued).toMatchObject({
      code: 'ERR_SELFSAME_POOL_CLOSED',
      message: `The pool was terminated before \`add\` (${TASKS}) started`,
    });
  });

  it('submit after close or terminate: refused with PoolClosedError', async () => {
    const closed = open({ size: 1 });
    await closed.close();
    const message =
      'Cannot run function `add`: the pool is closed (close() or terminate() was called) and accepts no new work';
    await expect(closed.apply(tasks.add, [1, 2])).rejects.toThrow(new PoolClosedError(message));
    await expect(closed.map(tasks.double, [1])).rejects.toBeInstanceOf(PoolClosedError);
    const terminated = open({ size: 1 });
    await terminated.terminate();
    await expect(terminated.starmap(tasks.add, [[1, 2]])).rejects.toBeInstanceOf(PoolClosedError);
    expect(() => terminated.imap(tasks.double, [1])).toThrow(PoolClosedError);
    expect(new PoolClosedError('x')).toBeInstanceOf(SelfsameError);
  });

  it('per-task filename: piscina only ever gets the fixed dispatcher', async () => {
    const pool = open({ size: 1 });
    const run = vi.spyOn(Piscina.prototype, 'run');
    await pool.apply(tasks.add, [1, 2]);
    await pool.map(tasks.double, [1, 2, 3]);
    expect(run).toHaveBeenCalled();
    // Options are given only when there is a signal or a transfer list; never a filename.
    for (const [, options] of run.mock.calls) expect(options ?? {}).not.toHaveProperty('filename');
    const engine = run.mock.contexts[0] as Piscina;
    expect(engine.options.filename).toMatch(/[/\\]dist[/\\]pool[/\\]dispatcher-entry\.cjs$/);
  });
});
