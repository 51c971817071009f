import { getEventListeners } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pool, WorkDroppedError } from '../dist/pool/index.js';
import { loadNamespace } from '../dist/reference/load-module.js';
import { expectError, thrownBy } from './support/errors.js';
import { runProgram } from './support/programs.js';

// Fixtures are loaded natively, as workers load them (see pool.test.ts).
// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
type Fixture = Record<string, any>;
const fixtures = new URL('./fixtures/pool/', import.meta.url);
const tasks = (await loadNamespace(new URL('tasks.js', fixtures).href, 'tasks.js'))
  .namespace as Fixture;

/** Every thread Node starts during a test, until it exits: none may outlive close()/terminate(). */
const live = new Set<Worker>();
let started = 0;
const onWorker = (worker: Worker): void => {
  started += 1;
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
};
const pools: Pool[] = [];
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};
let scratch: string;

/** Node's own warning printer, taken off during a test: the warnings expected are asserted. */
let printers: ((warning: Error) => void)[] = [];

beforeEach(() => {
  process.on('worker', onWorker);
  printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', onWarning);
  scratch = mkdtempSync(join(tmpdir(), 'selfsame-pool-'));
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
  process.off('worker', onWorker);
  process.off('warning', onWarning);
  for (const printer of printers) process.on('warning', printer);
  warnings.length = 0;
  live.clear();
  started = 0;
  rmSync(scratch, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function open(options: ConstructorParameters<typeof Pool>[0] = {}): Pool {
  const pool = new Pool({ size: 2, ...options });
  pools.push(pool);
  return pool;
}

/** Closes a pool whose `closeTimeout` is 200 ms, expecting one warning about `pending`. */
async function expectClosedDropping(pool: Pool, pending: string[], listed: string): Promise<void> {
  await pool.close();
  expect(live.size).toBe(0);
  await vi.waitFor(() => expect(warnings).toHaveLength(1));
  expectError(warnings[0], WorkDroppedError, {
    code: 'ERR_SELFSAME_WORK_DROPPED',
    pending,
    message: `close() stopped the pool's worker threads after \`closeTimeout\` (200 ms), with work its tasks had left scheduled still pending (${listed}): that work was dropped. Await it inside the task, or give the pool a longer \`closeTimeout\``,
  });
}

describe('Lifecycle: close()', () => {
  it('settles after a worker retired itself, 50 times in a row (the close-after-retire race)', async () => {
    for (let round = 0; round < 50; round++) {
      const pool = open({ size: 1, maxTasksPerWorker: 1 });
      expect(await pool.apply(tasks.sqr, [round])).toBe(round * round);
      await pool.close();
      expect(live.size).toBe(0);
    }
  }, 120_000);

  it('lets the code after close() run when nothing else keeps Node alive', async () => {
    const output = await runProgram('close-after-retire.js');
    expect(JSON.parse(output)).toEqual({ result: 9, closed: true });
  });

  it('stops every thread of a pool closed right after it was made with an initializer', async () => {
    for (let round = 0; round < 4; round++) {
      await open({ initializer: tasks.setTag, initargs: ['x'] }).close();
    }
    // Time for a thread started late (after close() returned) to show up: none may.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(started).toBe(8);
    expect(live.size).toBe(0);
  });

  it('lets a timer a task left scheduled run before the worker stops', async () => {
    const pool = open({ size: 1 });
    const file = join(scratch, 'late.txt');
    expect(await pool.apply(tasks.writeLater, [file, 300])).toBe('scheduled');
    await pool.close();
    expect(readFileSync(file, 'utf8')).toMatch(/^written by \d+$/);
    expect(warnings).toEqual([]);
  });

  it('drops work still pending after closeTimeout, and says what it dropped', async () => {
    const pool = open({ size: 1, closeTimeout: 200 });
    expect(await pool.apply(tasks.keepTicking, [])).toBe('ticking');
    await expectClosedDropping(pool, ['Timeout'], '1 Timeout');
  });

  it('settles even when the initializer never finishes, and says so', async () => {
    const pool = open({ size: 1, initializer: tasks.neverReady, closeTimeout: 200 });
    const initializing = 'the initializer, still running';
    await expectClosedDropping(pool, [initializing], initializing);
  });

  it('waits for submitted work, through `await using` too', async () => {
    const results: number[] = [];
    {
      await using pool = new Pool({ size: 1, maxTasksPerWorker: 1 });
      for (const x of [1, 2, 3])
        void pool.apply(tasks.sqr, [x, 20]).then((y) => results.push(y as number));
    }
    expect(results).toEqual([1, 4, 9]);
    expect(live.size).toBe(0);
  });
});

describe('Lifecycle: idle workers', () => {
  it('run the timers a task left behind between tasks (not parked in a blocking wait)', async () => {
    const pool = open({ size: 1 });
    const file = join(scratch, 'idle.txt');
    await pool.apply(tasks.writeLater, [file, 50]);
    // No other task is sent: the timer can only fire if the idle worker's event loop turns.
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 10_000 });
  });

  it('report a late error while idle, at once', async () => {
    const pool = open({ size: 1 });
    expect(await pool.apply(tasks.throwAfterReturn, ['idle boom', 20])).toBe('returned');
    await vi.waitFor(() => expect(warnings).toHaveLength(1), { timeout: 10_000 });
    expect(warnings[0]).toMatchObject({
      name: 'TaskFailedError',
      code: 'ERR_SELFSAME_TASK_FAILED',
      message:
        'A task raised an uncaught exception or unhandled rejection after it had returned; it was not blamed on another task, and its worker thread is replaced after its current task (after its next one when it was idle)',
      cause: { message: 'idle boom' },
    });
  });

  it('retire after maxTasksPerWorker only once the work their tasks left has run', async () => {
    const pool = open({ size: 1, maxTasksPerWorker: 1 });
    const file = join(scratch, 'retired.txt');
    const first = await pool.apply(tasks.whichThread, []);
    await pool.apply(tasks.writeLater, [file, 100]);
    const third = await pool.apply(tasks.whichThread, []);
    expect(existsSync(file)).toBe(true);
    expect(third).not.toBe(first);
  });

  it('retire without being cut short by the timeout of the task they already answered', async () => {
    // The timeout leaves room for a cold worker to start; the leftover timer outlasts it.
    const pool = open({ size: 1, maxTasksPerWorker: 1, timeout: 1_500 });
    const file = join(scratch, 'after-timeout.txt');
    expect(await pool.apply(tasks.writeLater, [file, 2_500])).toBe('scheduled');
    await pool.close();
    expect(readFileSync(file, 'utf8')).toMatch(/^written by \d+$/);
    expect(warnings).toEqual([]);
  });
});

describe('Lifecycle: terminate()', () => {
  it('stops every thread and prints no warning, even from inside a map callback', async () => {
    for (let round = 0; round < 10; round++) {
      const pool = open();
      await pool.apply(tasks.double, [1]);
      let calls = 0;
      const items = Array.from({ length: 2_000 }, (_, index) => index);
      const mapped = pool.map(tasks.double, items, {
        chunksize: 1,
        onProgress: () => {
          calls += 1;
          if (calls === 20 + round) void pool.terminate();
        },
      });
      await expect(mapped).rejects.toMatchObject({ code: 'ERR_SELFSAME_POOL_CLOSED' });
      await pool.terminate();
      expect(live.size).toBe(0);
    }
    // A message in flight when the threads were stopped is no fault of anyone's.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(warnings).toEqual([]);
  });
});

describe('Lifecycle: signals', () => {
  it('a map over many tasks adds one abort listener to its signal, and removes it', async () => {
    const pool = open();
    const controller = new AbortController();
    const items = Array.from({ length: 200 }, (_, index) => index);
    const mapped = pool.map(
      tasks.sleepThenDouble,
      items.map((x) => x),
      {
        chunksize: 1,
        signal: controller.signal,
      },
    );
    await vi.waitFor(() => expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1));
    controller.abort(new Error('enough'));
    await expect(mapped).rejects.toMatchObject({ code: 'ERR_SELFSAME_TASK_ABORTED' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const done = new AbortController();
    expect(await pool.map(tasks.double, items, { chunksize: 1, signal: done.signal })).toEqual(
      items.map((x) => x * 2),
    );
    expect(getEventListeners(done.signal, 'abort')).toHaveLength(0);
    expect(warnings).toEqual([]);
  });
});

describe('Lifecycle: aborts', () => {
  it('aborting running tasks prints no warning, even with their answers in flight', async () => {
    const pool = open();
    for (let round = 0; round < 10; round++) {
      const controller = new AbortController();
      let calls = 0;
      const items = Array.from({ length: 500 }, (_, index) => index);
      const mapped = pool.map(tasks.double, items, {
        chunksize: 1,
        signal: controller.signal,
        onProgress: () => {
          calls += 1;
          if (calls === 5 + round) controller.abort();
        },
      });
      await expect(mapped).rejects.toMatchObject({ code: 'ERR_SELFSAME_TASK_ABORTED' });
    }
    expect(await pool.apply(tasks.add, [1, 2])).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(warnings).toEqual([]);
  }, 60_000);
});

describe('Lifecycle: onProgress', () => {
  it('when it throws: the map rejects with its error, the rest is dropped, it is not called again', async () => {
    const pool = open();
    const sent = vi.spyOn(Piscina.prototype, 'run');
    const failure = new Error('progress bar broke');
    const onProgress = vi.fn(() => {
      throw failure;
    });
    const items = Array.from({ length: 20 }, (_, index) => [index, 20] as [number, number]);
    await expect(
      pool.starmap(tasks.sleepThenDouble, items, { chunksize: 1, onProgress }),
    ).rejects.toBe(failure);
    await pool.close();
    expect(onProgress).toHaveBeenCalledTimes(1);
    // Two workers: the failing task, the one running beside it, and at most one sent meanwhile.
    expect(
      sent.mock.calls.filter(([message]) => typeof message[0] === 'number').length,
    ).toBeLessThanOrEqual(4);
  });
});

// Python's own tests of worker lifetime and initializers (Lib/test/_test_multiprocessing.py),
// in their JavaScript form.
describe('CPython: worker lifetime and initializer', () => {
  it('test_pool_worker_lifetime: workers are replaced, every result arrives', async () => {
    const pool = open({ size: 3, maxTasksPerWorker: 10 });
    const first = await pool.map(tasks.whichThread, [1, 2, 3], { chunksize: 1 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => pool.apply(tasks.sqr, [index])),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, index) => index * index));
    const last = await pool.map(tasks.whichThread, [1, 2, 3], { chunksize: 1 });
    expect(new Set([...first, ...last]).size).toBeGreaterThan(new Set(first).size);
    await pool.close();
    expect(live.size).toBe(0);
  });

  it('test_pool_worker_lifetime_early_close: close() before the tasks finish, join returns', async () => {
    const pool = open({ size: 3, maxTasksPerWorker: 1 });
    const results = Array.from({ length: 6 }, (_, index) => pool.apply(tasks.sqr, [index, 300]));
    await pool.close();
    expect(await Promise.all(results)).toEqual([0, 1, 4, 9, 16, 25]);
    expect(live.size).toBe(0);
  });

  it('test_pool_maxtasksperchild_invalid: 0, -1, 0.5 and "12" are refused', () => {
    const message = (value: string) =>
      `Expected \`options.maxTasksPerWorker\` to be an integer from 1 and up, got ${value}`;
    const refusal = (value: unknown) =>
      thrownBy(() => new Pool({ maxTasksPerWorker: value } as never));
    expectError(refusal(0), RangeError, { message: message('`0` (number)') });
    expectError(refusal(-1), RangeError, { message: message('`-1` (number)') });
    expectError(refusal(0.5), TypeError, { message: message('`0.5` (number)') });
    expectError(refusal('12'), TypeError, { message: message('`"12"` (string)') });
  });

  it('test_pool_initializer: a non-function is refused; the initializer runs before close() returns', async () => {
    expectError(
      thrownBy(() => new Pool({ initializer: 1 } as never)),
      TypeError,
      {
        message: 'Expected `options.initializer` to be a function, got `1` (number)',
      },
    );
    // No task is ever sent: the initializer still runs in the worker before close() returns.
    await open({ size: 1, initializer: tasks.writeOnInit, initargs: [scratch] }).close();
    expect(readdirSync(scratch)).toEqual([expect.stringMatching(/^initialized-\d+$/)]);
    expect(live.size).toBe(0);
  });
});
