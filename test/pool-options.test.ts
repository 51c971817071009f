import { afterEach, describe, expect, it } from 'vitest';
import { Pool } from '../dist/pool/index.js';
import { loadNamespace } from '../dist/reference/load-module.js';

// Fixtures are loaded natively, as workers load them: a reference resolves only to the real
// module instance, never to a copy made by vitest's module runner.
// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
type Fixture = Record<string, any>;
const fixtures = new URL('./fixtures/pool/', import.meta.url);
const tasks = (await loadNamespace(new URL('tasks.js', fixtures).href, 'tasks.js'))
  .namespace as Fixture;

/** Asserts the exact class (not a subclass) and the exact message of what `run` throws. */
function expectThrow(run: () => unknown, Class: Function, message: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect((thrown as object | undefined)?.constructor).toBe(Class);
  expect((thrown as Error).message).toBe(message);
}

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
});

describe('Pool options: every mistake named, with what was received', () => {
  it.each([
    [0, RangeError, 'Expected `options.size` to be an integer from 1 and up, got `0` (number)'],
    [1.5, TypeError, 'Expected `options.size` to be an integer from 1 and up, got `1.5` (number)'],
    ['2', TypeError, 'Expected `options.size` to be an integer from 1 and up, got `"2"` (string)'],
  ])('size %j', (size, Class, message) => {
    expectThrow(() => new Pool({ size } as never), Class, message);
  });

  it.each([
    [null, TypeError, 'Expected `options` to be an object, got `null`'],
    [
      { sizes: 2 },
      TypeError,
      'Unknown option `options.sizes`; expected one of `size`, `initializer`, `initargs`, `maxTasksPerWorker`, `timeout`, `closeTimeout`, `root`, `packages`, `key`, `resourceLimits`, `abortGracePeriod`, `onRecord`, `loader`',
    ],
    [
      { initializer: 'setUp' },
      TypeError,
      'Expected `options.initializer` to be a function, got `"setUp"` (string)',
    ],
    [
      { initargs: 'a' },
      TypeError,
      'Expected `options.initargs` to be an array, got `"a"` (string)',
    ],
    [
      { maxTasksPerWorker: -1 },
      RangeError,
      'Expected `options.maxTasksPerWorker` to be an integer from 1 and up, got `-1` (number)',
    ],
    [
      { timeout: 0 },
      RangeError,
      'Expected `options.timeout` to be a number of milliseconds above 0 and at most 2147483647, got `0` (number)',
    ],
    [
      { timeout: '5s' },
      TypeError,
      'Expected `options.timeout` to be a number of milliseconds above 0 and at most 2147483647, got `"5s"` (string)',
    ],
    [
      { closeTimeout: -1 },
      RangeError,
      'Expected `options.closeTimeout` to be a number of milliseconds from 0 and at most 2147483647, got `-1` (number)',
    ],
    [
      { closeTimeout: Infinity },
      RangeError,
      'Expected `options.closeTimeout` to be a number of milliseconds from 0 and at most 2147483647, got `Infinity` (number)',
    ],
    [
      { closeTimeout: '1s' },
      TypeError,
      'Expected `options.closeTimeout` to be a number of milliseconds from 0 and at most 2147483647, got `"1s"` (string)',
    ],
    [
      { abortGracePeriod: Infinity },
      RangeError,
      'Expected `options.abortGracePeriod` to be a number of milliseconds from 0 and at most 2147483647, got `Infinity` (number)',
    ],
    [{ root: 3 }, TypeError, 'Expected `options.root` to be a string or a URL, got `3` (number)'],
    [
      { packages: ['a', 1] },
      TypeError,
      'Expected `options.packages` to be an array of strings, got an array of length 2',
    ],
    [
      { key: 42 },
      TypeError,
      'Expected `options.key` to be a string or a Uint8Array, got `42` (number)',
    ],
    [
      { resourceLimits: 16 },
      TypeError,
      'Expected `options.resourceLimits` to be an object, got `16` (number)',
    ],
  ])('rejects %j with %o', (options, Class, message) => {
    expectThrow(() => new Pool(options as never), Class, message);
  });

  it('defaults size to the available parallelism', async () => {
    const { availableParallelism } = await import('node:os');
    const pool = new Pool();
    pools.push(pool);
    expect(pool.size).toBe(availableParallelism());
  });

  it('validates the arguments of every method', async () => {
    const pool = new Pool({ size: 1 });
    pools.push(pool);
    await expect(pool.apply('add' as never, [])).rejects.toThrow(
      new TypeError('Expected `fn` to be a function, got `"add"` (string)'),
    );
    await expect(pool.apply(tasks.add, 1 as never)).rejects.toThrow(
      new TypeError('Expected `args` to be an array, got `1` (number)'),
    );
    await expect(pool.apply(tasks.add, [1, 2], { signal: 'stop' } as never)).rejects.toThrow(
      new TypeError('Expected `options.signal` to be an AbortSignal, got `"stop"` (string)'),
    );
    await expect(pool.map(tasks.double, 5 as never)).rejects.toThrow(
      new TypeError('Expected `iterable` to be an iterable or async iterable, got `5` (number)'),
    );
    await expect(pool.map(tasks.double, [1], { chunksize: 0 })).rejects.toThrow(
      new RangeError(
        'Expected `options.chunksize` to be an integer from 1 and up, got `0` (number)',
      ),
    );
    await expect(pool.map(tasks.double, [1], { onProgress: true } as never)).rejects.toThrow(
      new TypeError('Expected `options.onProgress` to be a function, got `true` (boolean)'),
    );
    expect(() => pool.imap(tasks.double, [1], { chunk: 2 } as never)).toThrow(
      new TypeError(
        'Unknown option `options.chunk`; expected one of `chunksize`, `signal`, `onProgress`, `maxInFlight`',
      ),
    );
  });
});
