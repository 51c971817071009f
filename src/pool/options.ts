/**
 * The options of a {@link Pool} and of its methods, and their validation: every mistake is a
 * `TypeError` or `RangeError` naming the option and echoing what was received.
 *
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import type { AnyFunction } from '../identity.js';
import { checkFunction, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import type { TimelineRecord } from '../timeline/types.js';
import { checkLoader } from './loader.js';

/**
 * How a {@link Pool} is set up. Every option is optional.
 *
 * @example
 * ```ts
 * const pool = new Pool({ size: 2, initializer: connect, initargs: [url], timeout: 30_000 });
 * ```
 */
export interface PoolOptions {
  /** How many worker threads run tasks; default `os.availableParallelism()`. */
  readonly size?: number;
  /** A referenceable function run once in each worker before its first task (may be async). */
  readonly initializer?: AnyFunction;
  /** The arguments of `initializer`, sent by structured clone; default `[]`. */
  readonly initargs?: readonly unknown[];
  /** Replace a worker after it has run this many tasks; default: never. */
  readonly maxTasksPerWorker?: number;
  /**
   * The longest an item may run, in milliseconds, counted from the moment its task is handed to a
   * worker (never while it waits in the queue). A task of several items gets that many times as
   * long. On expiry the worker is stopped and replaced. Default: no limit.
   */
  readonly timeout?: number;
  /** Passed to `toReference` and `fromReference`: the directory modules may be resolved under. */
  readonly root?: string | URL;
  /** Passed to `toReference` and `fromReference`: the packages functions may come from. */
  readonly packages?: readonly string[];
  /** Passed to `toReference` and `fromReference`: the key that signs and verifies references. */
  readonly key?: string | Uint8Array;
  /** Each worker's memory limits, as for `new Worker()`; exceeding them fails that worker's task. */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Receives the pool's timeline records on the main thread: one per `trackExecutionTime` call
   * made in a worker (with the worker's thread id), and the pool's own spans of each task
   * (`queued`, `dispatch` and `task` on the main thread, `run` in the worker). Pass a
   * `Timeline`'s `record` (from `selfsame/timeline`). A task's records arrive with its answer,
   * before its promise settles. Default: none collected, at no cost.
   */
  readonly onRecord?: (record: TimelineRecord) => void;
  /**
   * The TypeScript loader each worker registers before it imports any task module, so tasks
   * may come from `.ts`, `.mts` and `.cts` modules: `'tsx'` (installed in the project, resolved
   * from the current directory). Default: tsx when the main thread runs under it (`tsx main.ts`,
   * `node --import tsx`), else none. Name it where the main thread loads TypeScript some other
   * way, as under vitest. Not needed where Node strips types (22.18+, 24): workers strip too.
   */
  readonly loader?: 'tsx';
}

/**
 * Options of {@link Pool.map}, {@link Pool.starmap}, {@link Pool.imap} and
 * {@link Pool.imapUnordered}.
 *
 * @example
 * ```ts
 * await pool.map(resize, files, { chunksize: 1, onProgress: (done, total) => bar(done / total) });
 * ```
 */
export interface MapOptions {
  /**
   * How many items travel in one task. Default: the input is split into about four tasks per
   * worker, as Python's `Pool.map` does, so that many small items cost few messages, with at
   * most 16,384 items in a task.
   */
  readonly chunksize?: number;
  /** Aborts the items not yet done: queued tasks never start, running ones stop their worker. */
  readonly signal?: AbortSignal;
  /** Called on the main thread after each task completes, with the items done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Options of {@link Pool.apply}.
 *
 * @example
 * ```ts
 * await pool.apply(render, [page], { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface ApplyOptions {
  /** Aborts the call: queued, it never starts; running, its worker is stopped and replaced. */
  readonly signal?: AbortSignal;
}

/** Pool options after validation, with defaults filled in. */
export interface ResolvedPoolOptions {
  readonly size: number;
  readonly initializer: AnyFunction | undefined;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerWorker: number;
  readonly timeout: number | undefined;
  readonly root: string | undefined;
  readonly packages: readonly string[] | undefined;
  readonly key: string | Uint8Array | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly onRecord: ((record: TimelineRecord) => void) | undefined;
  readonly loader: 'tsx' | undefined;
}

const POOL_KEYS = [
  'size',
  'initializer',
  'initargs',
  'maxTasksPerWorker',
  'timeout',
  'root',
  'packages',
  'key',
  'resourceLimits',
  'onRecord',
  'loader',
];
const MAP_KEYS = ['chunksize', 'signal', 'onProgress'];
const APPLY_KEYS = ['signal'];

/** Validates {@link PoolOptions} and fills in the defaults. */
export function resolvePoolOptions(options: unknown): ResolvedPoolOptions {
  checkOptions(options, 'options');
  const given = options ?? {};
  checkKnownKeys(given, 'options', POOL_KEYS);
  const { size, initializer, initargs, maxTasksPerWorker, timeout, root, packages, key } = given;
  if (initializer !== undefined) checkFunction(initializer, 'options.initializer');
  if (initargs !== undefined && !Array.isArray(initargs)) {
    throw new TypeError(
      `Expected \`options.initargs\` to be an array, got ${describeValue(initargs)}`,
    );
  }
  if (root !== undefined && typeof root !== 'string' && !(root instanceof URL)) {
    throw new TypeError(
      `Expected \`options.root\` to be a string or a URL, got ${describeValue(root)}`,
    );
  }
  if (
    packages !== undefined &&
    (!Array.isArray(packages) || !packages.every((name) => typeof name === 'string'))
  ) {
    throw new TypeError(
      `Expected \`options.packages\` to be an array of strings, got ${describeValue(packages)}`,
    );
  }
  if (key !== undefined && typeof key !== 'string' && !(key instanceof Uint8Array)) {
    throw new TypeError(
      `Expected \`options.key\` to be a string or a Uint8Array, got ${describeValue(key)}`,
    );
  }
  const { resourceLimits, onRecord } = given;
  checkOptions(resourceLimits, 'options.resourceLimits');
  if (onRecord !== undefined) checkFunction(onRecord, 'options.onRecord');
  return {
    size: size === undefined ? availableParallelism() : checkInteger(size, 'options.size', 1),
    initializer: initializer as AnyFunction | undefined,
    initargs: (initargs as unknown[] | undefined) ?? [],
    maxTasksPerWorker:
      maxTasksPerWorker === undefined
        ? 0
        : checkInteger(maxTasksPerWorker, 'options.maxTasksPerWorker', 1),
    timeout: timeout === undefined ? undefined : checkTimeout(timeout),
    root: root === undefined ? undefined : String(root instanceof URL ? root.href : root),
    packages: packages as string[] | undefined,
    key: key as string | Uint8Array | undefined,
    resourceLimits: resourceLimits as ResourceLimits | undefined,
    onRecord: onRecord as ResolvedPoolOptions['onRecord'],
    loader: checkLoader(given.loader),
  };
}

/** Validates {@link MapOptions}. */
export function checkMapOptions(options: unknown): MapOptions {
  checkOptions(options, 'options');
  const given = options ?? {};
  checkKnownKeys(given, 'options', MAP_KEYS);
  if (given.chunksize !== undefined) checkInteger(given.chunksize, 'options.chunksize', 1);
  checkSignal(given.signal);
  if (given.onProgress !== undefined) checkFunction(given.onProgress, 'options.onProgress');
  return given as MapOptions;
}

/** Validates {@link ApplyOptions}. */
export function checkApplyOptions(options: unknown): ApplyOptions {
  checkOptions(options, 'options');
  const given = options ?? {};
  checkKnownKeys(given, 'options', APPLY_KEYS);
  checkSignal(given.signal);
  return given as ApplyOptions;
}

function checkSignal(signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(
      `Expected \`options.signal\` to be an AbortSignal, got ${describeValue(signal)}`,
    );
  }
}

function checkInteger(value: unknown, argument: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(
      `Expected \`${argument}\` to be an integer from ${minimum} and up, got ${describeValue(value)}`,
    );
  }
  if (value < minimum) {
    throw new RangeError(
      `Expected \`${argument}\` to be an integer from ${minimum} and up, got ${describeValue(value)}`,
    );
  }
  return value;
}

function checkTimeout(value: unknown): number {
  // setTimeout's own ceiling: a longer delay would fire at once.
  const maximum = 2 ** 31 - 1;
  if (typeof value !== 'number' || !(value > 0 && value <= maximum)) {
    const message = `Expected \`options.timeout\` to be a number of milliseconds above 0 and at most ${maximum}, got ${describeValue(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}
