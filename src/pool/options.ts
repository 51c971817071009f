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
  /**
   * How long, in milliseconds, a worker that stops at `close()` or retires (`maxTasksPerWorker`)
   * lets the work its tasks left scheduled (timers, I/O) run before it is stopped anyway; what
   * is still pending then is reported as a `WorkDroppedError` warning. Default `10_000`.
   */
  readonly closeTimeout?: number;
  /**
   * Passed to `toReference` and `fromReference`: the directory modules may be resolved under.
   * Default: the working directory when the pool is made; a script that may be started from
   * another directory passes its own, `import.meta.dirname`.
   */
  readonly root?: string | URL;
  /** Passed to `toReference` and `fromReference`: the packages functions may come from. */
  readonly packages?: readonly string[];
  /** Passed to `toReference` and `fromReference`: the key that signs and verifies references. */
  readonly key?: string | Uint8Array;
  /** Each worker's memory limits, as for `new Worker()`; exceeding them fails that worker's task. */
  readonly resourceLimits?: ResourceLimits;
  /**
   * How long, in milliseconds, a running task whose `signal` aborts may take to stop by itself
   * (its `taskContext().signal` aborts at once) before its worker is stopped and replaced.
   * Default `0`: the worker is replaced at once, and the task's own signal never aborts.
   */
  readonly abortGracePeriod?: number;
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
   * most 16,384 items in a task; into fewer per worker, down to two, while four would hold
   * fewer than 2,048 items each.
   */
  readonly chunksize?: number;
  /** Aborts the items not yet done: queued tasks never start, running ones stop their worker. */
  readonly signal?: AbortSignal;
  /**
   * Called on the main thread once per item done, with the items done and the total, and for
   * each progress event a task sends (`taskContext().progress(data)`), with the counts as they
   * stand and the event as `{ item, data }`.
   */
  readonly onProgress?: (done: number, total: number, event?: TaskEvent) => void;
  /**
   * {@link Pool.imap} and {@link Pool.imapUnordered} over an input that is not an array: the
   * most items read and not yet handed to the caller (queued, running, or done and waiting).
   * Default: `size * 4 * chunksize`. A chunk is read whole, so it is at least `chunksize`: a
   * smaller one is refused with a `RangeError`. For a lazily read input, `onProgress`'s `total` is the
   * number of items read so far.
   */
  readonly maxInFlight?: number;
}

/**
 * A progress event sent by a task with `taskContext().progress(data)`, as `onProgress` receives
 * it.
 *
 * @example
 * ```ts
 * onProgress: (done, total, event) => { if (event) console.log(`item ${event.item}:`, event.data); }
 * ```
 */
export interface TaskEvent {
  /** The position, in the caller's input, of the item that sent it (0 for `apply`). */
  readonly item: number;
  /** What the task sent, by structured clone. */
  readonly data: unknown;
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
  /**
   * Aborts the call: queued, it never starts; running, its worker is stopped and replaced (after
   * the pool's `abortGracePeriod`, during which the task may stop by itself).
   */
  readonly signal?: AbortSignal;
  /** Called for each progress event the task sends, as for {@link MapOptions.onProgress}. */
  readonly onProgress?: (done: number, total: number, event?: TaskEvent) => void;
}

/** Pool options after validation, with defaults filled in. */
export interface ResolvedPoolOptions {
  readonly size: number;
  readonly initializer: AnyFunction | undefined;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerWorker: number;
  readonly timeout: number | undefined;
  readonly closeTimeout: number;
  readonly root: string | undefined;
  readonly packages: readonly string[] | undefined;
  readonly key: string | Uint8Array | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly abortGracePeriod: number;
  readonly onRecord: ((record: TimelineRecord) => void) | undefined;
  readonly loader: 'tsx' | undefined;
}

const POOL_KEYS = [
  'size',
  'initializer',
  'initargs',
  'maxTasksPerWorker',
  'timeout',
  'closeTimeout',
  'root',
  'packages',
  'key',
  'resourceLimits',
  'abortGracePeriod',
  'onRecord',
  'loader',
];
const MAP_KEYS = ['chunksize', 'signal', 'onProgress', 'maxInFlight'];
const APPLY_KEYS = ['signal', 'onProgress'];

/** Validates {@link PoolOptions} and fills in the defaults. */
export function resolvePoolOptions(options: unknown): ResolvedPoolOptions {
  checkOptions(options, 'options');
  const given = options ?? {};
  checkKnownKeys(given, 'options', POOL_KEYS);
  const {
    size,
    initializer,
    initargs,
    maxTasksPerWorker,
    timeout,
    closeTimeout,
    root,
    packages,
    key,
  } = given;
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
    timeout:
      timeout === undefined ? undefined : checkMilliseconds(timeout, 'options.timeout', 'above 0'),
    closeTimeout:
      closeTimeout === undefined
        ? DEFAULT_CLOSE_TIMEOUT
        : checkMilliseconds(closeTimeout, 'options.closeTimeout', 'from 0'),
    root: root === undefined ? undefined : String(root instanceof URL ? root.href : root),
    packages: packages as string[] | undefined,
    key: key as string | Uint8Array | undefined,
    resourceLimits: resourceLimits as ResourceLimits | undefined,
    abortGracePeriod:
      given.abortGracePeriod === undefined
        ? 0
        : checkMilliseconds(given.abortGracePeriod, 'options.abortGracePeriod', 'from 0'),
    onRecord: onRecord as ResolvedPoolOptions['onRecord'],
    loader: checkLoader(given.loader),
  };
}

/** Validates {@link MapOptions}. */
export function checkMapOptions(options: unknown): MapOptions {
  checkOptions(options, 'options');
  const given = options ?? {};
  checkKnownKeys(given, 'options', MAP_KEYS);
  const chunksize =
    given.chunksize === undefined ? 1 : checkInteger(given.chunksize, 'options.chunksize', 1);
  if (given.maxInFlight !== undefined) {
    const maxInFlight = checkInteger(given.maxInFlight, 'options.maxInFlight', 1);
    if (maxInFlight < chunksize) {
      throw new RangeError(
        `Expected \`options.maxInFlight\` (${maxInFlight}) to be at least \`options.chunksize\` (${chunksize}): a chunk is read whole; raise maxInFlight or lower chunksize`,
      );
    }
  }
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
  if (given.onProgress !== undefined) checkFunction(given.onProgress, 'options.onProgress');
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

/** How long a stopping worker lets its tasks' leftover work run, by default. */
const DEFAULT_CLOSE_TIMEOUT = 10_000;

/** A delay for setTimeout, above 0 or from 0, at most its ceiling. */
function checkMilliseconds(value: unknown, argument: string, from: 'above 0' | 'from 0'): number {
  // setTimeout's own ceiling: a longer delay would fire at once.
  const maximum = 2 ** 31 - 1;
  const low = typeof value === 'number' && (from === 'from 0' ? value >= 0 : value > 0);
  if (typeof value !== 'number' || !(low && value <= maximum)) {
    const message = `Expected \`${argument}\` to be a number of milliseconds ${from} and at most ${maximum}, got ${describeValue(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}
