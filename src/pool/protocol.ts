/**
 * The messages between a pool and its fixed dispatcher. Only data crosses: a function travels as
 * a {@link FunctionReference}, arguments and results by structured clone, errors as envelopes.
 *
 * @internal
 * @packageDocumentation
 */
import type { TimelineRecord } from '../timeline/types.js';

/** The key that marks a dispatcher's out-of-band message on piscina's `message` event. */
export const OUT_OF_BAND = 'selfsame.pool.response';

/** The reference policy, in a form that survives structured clone (`root` as a string). */
export interface WirePolicy {
  readonly root?: string;
  readonly packages?: readonly string[];
  readonly key?: string | Uint8Array;
}

/** What every worker receives once, as `workerData`. */
export interface WorkerSetup {
  readonly policy: WirePolicy;
  /** The initializer's reference, as JSON text. */
  readonly initializer: string | undefined;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerWorker: number;
  /** Set when the pool collects timeline records: the first flow id of this pool's tasks. */
  readonly records?: number;
  /** Set when the workers register a TypeScript loader first (see loader.ts). */
  readonly loader?: { readonly esm: string; readonly cjs: string };
}

/**
 * One task as it travels: its id, the function's reference as JSON text, its items, and whether
 * each item is an argument list to spread (`starmap`, `apply`) or the one argument itself
 * (`map`, `imap`: a flat array clones about ten times faster than as many one-item lists). A
 * tuple and one string clone faster than objects: this message is the whole per-call cost of a
 * round trip beyond piscina's own.
 */
export type TaskMessage = readonly [
  id: number,
  ref: string,
  /** the items, or their bytes (see batch.ts) */
  items: readonly unknown[] | Uint8Array,
  spread: boolean,
];

/** A task as the dispatcher handles it. */
export interface Task {
  readonly id: number;
  /** The reference as JSON text, which is also the worker's cache key as it stands. */
  readonly ref: string;
  readonly items: readonly unknown[];
  /** Whether each item is an argument list (`fn(...item)`) rather than one argument (`fn(item)`). */
  readonly spread: boolean;
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
 * What a worker answers: the values of all items, in order, as a bare array (or its bytes, for a
 * large batch of primitives: see batch.ts) when everything went well, or a {@link TaskReport}
 * when something is to be reported.
 */
export type TaskResponse = unknown[] | Uint8Array | TaskReport;

/** The values of the items that completed, in order, then any failure and late errors. */
export interface TaskReport {
  readonly values: unknown[];
  readonly failure?: Failure;
  /** errors raised asynchronously by earlier tasks after they had returned */
  readonly late?: readonly Carried[];
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

/** A response sent on the worker's `parentPort` just before the worker retires itself. */
export interface OutOfBandMessage {
  readonly [OUT_OF_BAND]: number;
  readonly response: TaskResponse;
}
