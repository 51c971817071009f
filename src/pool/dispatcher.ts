/**
 * The worker side of the pool, and the only file ever given to piscina as `filename`: a
 * reference's module id never reaches piscina. It resolves each function once per worker with
 * `fromReference` under the pool's policy, runs the pool's initializer once, runs the items of a
 * task in order, and answers with data only (values, or an error envelope).
 *
 * Faults that piscina would blame on the wrong task are handled here: an uncaught exception or
 * unhandled rejection is attributed to the task that set up the callback raising it (or to the
 * running task when that is unknown), and a worker that saw one retires after answering, so that
 * the next task starts in a clean thread.
 *
 * @internal
 * @packageDocumentation
 */
import { AsyncResource, executionAsyncId } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
// Straight from its module: the pool's door (./reference.js) would also load toReference's graph,
// which a worker never uses.
import { fromReference } from '../reference/from-reference.js';
import type { ReferenceOptions } from '../reference/options.js';
import { receiverOf } from '../reference/receiver.js';
import { AHEAD_MIN_ITEMS, allPrimitive, decode, encode, isEncoded } from './batch.js';
import { carry, describeUncloneable } from './envelope.js';
import {
  type Carried,
  type Failure,
  OUT_OF_BAND,
  type OutOfBandMessage,
  type Task,
  type TaskMessage,
  type TaskReport,
  type TaskResponse,
  type WorkerSetup,
} from './protocol.js';
import { epochNow } from './records.js';
import type { WorkerRecorder } from './records-worker.js';

type Callable = (...args: unknown[]) => unknown;

const setup = workerData as WorkerSetup;
const policy: ReferenceOptions = {
  ...(setup.policy.root === undefined ? {} : { root: setup.policy.root }),
  ...(setup.policy.packages === undefined ? {} : { packages: setup.policy.packages }),
  ...(setup.policy.key === undefined ? {} : { key: setup.policy.key }),
};

/** Functions resolved in this worker, by reference; a failed resolution is kept as a rejection. */
const resolving = new Map<string, Promise<Callable>>();
const resolved = new Map<string, Callable>();
/** The first async id of the current task: resources it creates get this id or a later one. */
let taskStart = 0;
/** The task now awaiting a promise, and how to fail it from a fault handler. */
let running: { readonly fail: (failure: Failure) => void } | undefined;
let retiring = false;
let completed = 0;
const late: Carried[] = [];
/**
 * Collects timeline records when the pool asked for them (`onRecord`). Its module is loaded, and
 * the timing engine's direct sink filled, only then, with the initializer, before any task.
 */
let recorder: WorkerRecorder | undefined;

process.on('uncaughtException', (error) => onFault(error, executionAsyncId()));
process.on('unhandledRejection', (reason) => onFault(reason, executionAsyncId()));

// Started at load, awaited by the first task: the initializer runs once per worker, before any
// task, as with Python's `Pool(initializer=...)`.
let initFailure: Failure | undefined;
let initDone = false;
const initialized: Promise<void> = Promise.all([initialize(), startRecorder()]).then(
  ([failure]) => {
    initFailure = failure;
    initDone = true;
  },
);

async function startRecorder(): Promise<void> {
  if (setup.records === undefined) return;
  const { startRecording } = await import('./records-worker.js');
  recorder = startRecording(setup.records);
}

/**
 * Runs one task: resolves the function, then its items in order, stopping at the first failure.
 * A task whose function is already resolved and returns plain values completes synchronously,
 * without a single promise: the common case of a `map` over small items.
 *
 * @param task - the reference and the argument lists
 * @returns the values of the completed items and any failure, as data
 */
export default function dispatch(message: TaskMessage): TaskResponse | Promise<TaskResponse> {
  taskStart = nextAsyncId();
  const began = setup.records === undefined ? 0 : epochNow();
  const items = message[2];
  const task: Task = {
    id: message[0],
    ref: message[1],
    items: isEncoded(items) ? decode(items) : items,
    spread: message[3],
  };
  const fn = initDone && initFailure === undefined ? resolved.get(task.ref) : undefined;
  const response = fn === undefined ? prepare(task) : runItems(task, fn, 0, []);
  return response instanceof Promise
    ? response.then((settled) => finish(task, settled, began))
    : finish(task, response, began);
}

function finish(
  task: Task,
  settled: TaskResponse,
  began: number,
): TaskResponse | Promise<TaskResponse> {
  const response = recorder === undefined ? settled : recorder.attach(task, began, settled);
  completed += 1;
  if (retiring || (setup.maxTasksPerWorker > 0 && completed >= setup.maxTasksPerWorker)) {
    return retire(task.id, response);
  }
  return response;
}

/** The slow path of a task: waits for the initializer and resolves the function first. */
async function prepare(task: Task): Promise<TaskResponse> {
  await initialized;
  if (initFailure !== undefined) return { values: [], failure: initFailure };
  const key = task.ref;
  let fn = resolved.get(key);
  if (fn === undefined) {
    let pending = resolving.get(key);
    if (pending === undefined) {
      pending = Promise.resolve(key).then((text) =>
        fromReference<Callable>(JSON.parse(text), policy),
      );
      resolving.set(key, pending);
    }
    try {
      fn = await pending;
    } catch (error) {
      return { values: [], failure: { kind: 'throw', index: 0, thrown: carry(error) } };
    }
    resolved.set(key, fn);
  }
  return runItems(task, fn, 0, []);
}

/** Runs items from `start` on, synchronously until one returns a promise. */
function runItems(
  task: Task,
  fn: Callable,
  start: number,
  values: unknown[],
): TaskResponse | Promise<TaskResponse> {
  const { items, spread } = task;
  // A static method runs with its class as `this`, as `Class.method(...)` would.
  const self = receiverOf(fn);
  for (let index = start; index < items.length; index++) {
    let value: unknown;
    try {
      value = spread
        ? Reflect.apply(fn, self, items[index] as unknown[])
        : self === undefined
          ? fn(items[index])
          : Reflect.apply(fn, self, [items[index]]);
    } catch (error) {
      return { values, failure: { kind: 'throw', index, thrown: carry(error) } };
    }
    if (isThenable(value)) return awaitItem(task, fn, index, values, value);
    values.push(value);
  }
  return complete(values);
}

/** Awaits one item's promise, unless a fault raised meanwhile fails the task first. */
async function awaitItem(
  task: Task,
  fn: Callable,
  index: number,
  values: unknown[],
  pending: PromiseLike<unknown>,
): Promise<TaskResponse> {
  const faulted = new Promise<Failure>((fail) => {
    running = { fail };
  });
  let settled: { result: unknown } | { failure: Failure };
  try {
    settled = await Promise.race([
      Promise.resolve(pending).then((result) => ({ result })),
      faulted.then((failure) => ({ failure: { ...failure, index } })),
    ]);
  } catch (error) {
    return { values, failure: { kind: 'throw', index, thrown: carry(error) } };
  } finally {
    running = undefined;
  }
  if ('failure' in settled) return { values, failure: settled.failure };
  values.push(settled.result);
  return runItems(task, fn, index + 1, values);
}

function complete(values: unknown[]): TaskResponse {
  // The common answer is the bare array of values (or its bytes): nothing else to clone.
  if (allPrimitive(values, false)) {
    if (late.length > 0) return { values, late: late.splice(0) };
    return values.length >= AHEAD_MIN_ITEMS ? encode(values) : values;
  }
  const uncloneable = findUncloneable(values);
  if (uncloneable !== undefined) {
    return { values: values.slice(0, uncloneable.index), failure: uncloneable };
  }
  return late.length > 0 ? { values, late: late.splice(0) } : values;
}

async function initialize(): Promise<Failure | undefined> {
  if (setup.initializer === undefined) return undefined;
  try {
    const initializer = await fromReference<Callable>(JSON.parse(setup.initializer), policy);
    await Reflect.apply(initializer, receiverOf(initializer), setup.initargs);
    return undefined;
  } catch (error) {
    // The worker stays: every task sent to it fails fast with this failure, rather than
    // respawning threads that would fail the same way.
    return { kind: 'init', index: 0, thrown: carry(error) };
  }
}

/**
 * An uncaught error belongs to the task that created the timer, I/O request or other resource
 * whose callback raised it. Async ids only grow, so a callback whose id precedes the running
 * task's first id was set up by an earlier task: that error is not blamed on the running task,
 * it is reported with the next response and the worker retires. Promise callbacks carry no id
 * (Node tracks them only with async hooks on, which would slow every task), so an unhandled
 * rejection is blamed on the running task, if any.
 */
function onFault(error: unknown, origin: number): void {
  retiring = true;
  if (running !== undefined && (origin === 0 || origin >= taskStart)) {
    running.fail({ kind: 'async', index: 0, thrown: carry(error) });
  } else {
    late.push(carry(error));
  }
}

/** The async id the next resource will get: a marker of "now" on the async id clock. */
function nextAsyncId(): number {
  return new AsyncResource('selfsame.pool.mark').asyncId();
}

/**
 * Retires this worker without letting piscina hand it another task: the response goes out on
 * `parentPort` (Node delivers it before the worker's `exit` event), then the thread exits, and
 * piscina starts a fresh one.
 */
async function retire(id: number, response: TaskResponse): Promise<never> {
  const report: TaskReport = Array.isArray(response)
    ? { values: response }
    : isEncoded(response)
      ? { values: decode(response) }
      : response;
  const message: OutOfBandMessage = {
    [OUT_OF_BAND]: id,
    response: late.length > 0 ? { ...report, late: [...(report.late ?? []), ...late] } : report,
  };
  await flush(process.stdout);
  await flush(process.stderr);
  parentPort?.postMessage(message);
  process.exit(0);
}

function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((done) => stream.write('', () => done()));
}

/** The first item whose value structured clone refuses, so the pool can name it. */
function findUncloneable(values: readonly unknown[]): Failure | undefined {
  let batchError: unknown;
  try {
    structuredClone(values);
    return undefined;
  } catch (error) {
    batchError = error;
  }
  for (let index = 0; index < values.length; index++) {
    try {
      structuredClone(values[index]);
    } catch (error) {
      return {
        kind: 'uncloneable',
        index,
        thrown: carry(error),
        what: describeUncloneable(values[index]),
      };
    }
  }
  return { kind: 'uncloneable', index: 0, thrown: carry(batchError), what: 'the results together' };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
