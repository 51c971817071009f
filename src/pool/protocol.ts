/**
 * The messages between a pool and its fixed dispatcher. Only data crosses: a function travels as
 * a {@link FunctionReference}, arguments and results by structured clone, errors as envelopes.
 *
 * Two channels carry them: piscina's task channel (a {@link WorkerRequest} in, a
 * {@link TaskResponse} or {@link DrainReport} back) and the worker's own `parentPort`, for what
 * must reach the pool outside a task's answer (an {@link OutOfBandMessage}).
 *
 * @internal
 * @packageDocumentation
 */
import type { TimelineRecord } from '../timeline/types.js';

/** The key that marks a dispatcher's out-of-band message on piscina's `message` event. */
export const OUT_OF_BAND = 'selfsame.pool.message';

/** The first element of a drain request (a task's first element is its id, a number). */
export const DRAIN = 'drain';

/** The reference policy, in a form that survives structured clone (`root` as a string). */
export interface WirePolicy {
  readonly root?: string;
  readonly packages?: readonly string[];
  readonly key?: string | Uint8Array;
}

/** The key that marks a task's progress event or item-done notice on piscina's `message` event. */
export const TASK_EVENT = 'selfsame.pool.event';

/**
 * From a worker, on `parentPort`: a progress event a task sent (`item`, within the task, and
 * `data`), or a notice that the first `done` items of the task are done.
 */
export type TaskEventMessage =
  | { readonly [TASK_EVENT]: number; readonly item: number; readonly data: unknown }
  | { readonly [TASK_EVENT]: number; readonly done: number };

/** From the pool, on its cancel channel: the running task `cancel` should stop, and why. */
export interface CancelMessage {
  readonly cancel: number;
  readonly reason: Carried;
}

/** What every worker receives once, as `workerData`. */
export interface WorkerSetup {
  /** The name of the pool's `BroadcastChannel` of cancellations, when it has a grace period. */
  readonly cancelChannel?: string | undefined;
  /** The shared ring of cancelled task ids (slot `id % 1024`), read as each task starts. */
  readonly cancelFlags?: Int32Array | undefined;
  readonly policy: WirePolicy;
  /** The initializer's reference, as JSON text. */
  readonly initializer: string | undefined;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerWorker: number;
  /** How long a retiring worker lets the work its tasks left scheduled run, in milliseconds. */
  readonly closeTimeout: number;
  /** Set when the pool collects timeline records: the first flow id of this pool's tasks. */
  readonly records?: number;
  /** Set when the workers register a TypeScript loader first (see loader.ts). */
  readonly loader?: { readonly esm: string; readonly cjs: string };
}

/**
 * How a task's items travel, the last element of a {@link TaskMessage}: each item the one
 * argument (`map`, `imap`: a flat array clones about ten times faster than as many one-item
 * lists), each item an argument list to spread (`starmap`), or, for a task of one call
 * (`apply`), that call's argument list in place of the items, one array fewer to clone.
 */
export const EACH_ARGUMENT = 0;
/** See {@link EACH_ARGUMENT}. */
export const ARGUMENT_LISTS = 1;
/** See {@link EACH_ARGUMENT}. */
export const ONE_CALL = 2;
/** One of {@link EACH_ARGUMENT}, {@link ARGUMENT_LISTS}, {@link ONE_CALL}. */
export type ItemsForm = typeof EACH_ARGUMENT | typeof ARGUMENT_LISTS | typeof ONE_CALL;

/**
 * One task as it travels: its id, the function's reference as JSON text, its items, and how
 * they travel. A tuple and one string clone faster than objects: this message is the whole
 * per-call cost of a round trip beyond piscina's own.
 */
export type TaskMessage = readonly [
  id: number,
  ref: string,
  /** the items, their bytes (see batch.ts), or, with {@link ONE_CALL}, the call's arguments */
  items: readonly unknown[] | Uint8Array,
  form: ItemsForm,
];

/**
 * Sent to each worker by `close()` once every task is done: wait (at most `within`
 * milliseconds) until the initializer has finished and the work the tasks left scheduled
 * (timers, I/O) has run, then report.
 */
export type DrainMessage = readonly [kind: typeof DRAIN, within: number];

/** What piscina carries to a worker. */
export type WorkerRequest = TaskMessage | DrainMessage;

/** The answer to a {@link DrainMessage}: the kinds of work still pending at the deadline. */
export interface DrainReport {
  /**
   * Node's names for the resources still open beyond the worker's own (`Timeout`, `TCPWrap`...),
   * or {@link INITIALIZING} when the initializer had not finished.
   */
  readonly pending: readonly string[];
}

/** What a drain reports for a worker whose initializer had not finished by the deadline. */
export const INITIALIZING = 'the initializer, still running';

/** What `close()` reports for a worker that did not answer its drain: busy in a callback. */
export const UNANSWERED = 'whatever a thread too busy running JavaScript to answer was doing';

/** A task as the dispatcher handles it. */
export interface DispatchedTask {
  readonly id: number;
  /** The reference as JSON text, which is also the worker's cache key as it stands. */
  readonly ref: string;
  readonly items: readonly unknown[];
  /** Whether each item is an argument list (`fn(...item)`) rather than one argument (`fn(item)`). */
  readonly spread: boolean;
  /** Whether the task is one call ({@link ONE_CALL}): a primitive result then travels bare. */
  readonly oneCall: boolean;
}

/** How a task failed inside the worker. */
export type FailureKind =
  /** the function threw (or rejected); the error is the task's own */
  | 'throw'
  /** an uncaught exception or unhandled rejection raised while the task ran */
  | 'async'
  /** a result could not be structured-cloned */
  | 'uncloneable'
  /** the initializer failed in this worker */
  | 'init';

/** An error taken apart so that structured clone keeps all of it. */
export interface ErrorEnvelope {
  /** the error's `name` */
  readonly name: string;
  /** the name of its class, from its prototype chain */
  readonly className: string;
  /** whether its class is the worker's own copy of a built-in or selfsame error class */
  readonly known: boolean;
  readonly message: string;
  readonly stack: string | undefined;
  /** own enumerable properties such as `code`, each cloneable (or described when not) */
  readonly props: Readonly<Record<string, unknown>>;
  readonly cause?: Carried;
  /** an `AggregateError`'s errors */
  readonly errors?: readonly Carried[];
  /** a user's error class, by reference as JSON text (see `error-classes.ts`) */
  readonly classRef?: string;
  /** why the worker could not reference the error's class */
  readonly classRefusal?: string;
}

/** A thrown value: an error as an envelope, anything else as a cloneable value. */
export type Carried = { readonly error: ErrorEnvelope } | { readonly value: unknown };

/** A task's failure: what happened, at which item, and what was thrown. */
export interface Failure {
  readonly kind: FailureKind;
  readonly index: number;
  readonly thrown: Carried;
  /** for `uncloneable`: what kind of value could not be cloned */
  readonly what?: string;
}

/**
 * What a worker answers: the values of all items, in order, as a bare array (or the value
 * itself, for a task of one call whose value is a primitive) when everything went well, or a
 * {@link TaskReport} when something is to be reported.
 */
export type TaskResponse = unknown[] | TaskReport | BarePrimitive;

/** A value that structured clone carries as itself, never an object (see {@link TaskResponse}). */
export type BarePrimitive = string | number | bigint | boolean | null | undefined;

/** The values of the items that completed, in order, then the failure that stopped the task. */
export interface TaskReport {
  readonly values: unknown[];
  readonly failure?: Failure;
  /** how many progress events the task sent: the pool delivers them all before settling */
  readonly events?: number;
  /** the worker's timeline records since its last answer, when the pool collects them */
  readonly records?: RecordBatch;
}

/**
 * A worker's timeline records, packed for structured clone: each timed call as numbers in
 * `calls` (qualname, module and error as indexes into `strings`, -1 for none; start; end), the
 * pool's own spans as records.
 */
export interface RecordBatch {
  readonly threadId: number;
  readonly strings: readonly string[];
  readonly calls: Float64Array;
  readonly spans: readonly TimelineRecord[];
}

/**
 * What a worker posts on its own `parentPort`, each kind marked by {@link OUT_OF_BAND}:
 * - `started`: the dispatcher is loaded and its fault handlers are in place; a thread that fails
 *   before saying so could not start at all.
 * - `answer`: a task's response, sent just before the worker retires itself.
 * - `late`: an error raised by work a task left behind, after the task had returned.
 * - `dropped`: what a retiring worker still had pending when its `closeTimeout` ran out.
 */
export type OutOfBandMessage =
  | { readonly [OUT_OF_BAND]: 'started'; readonly threadId: number }
  | { readonly [OUT_OF_BAND]: 'answer'; readonly id: number; readonly response: TaskResponse }
  | { readonly [OUT_OF_BAND]: 'late'; readonly thrown: Carried }
  | { readonly [OUT_OF_BAND]: 'dropped'; readonly pending: readonly string[] };
