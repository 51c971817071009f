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
 * Work a task leaves scheduled (a timer, a file being written) runs: the worker's event loop
 * turns between tasks (the pool starts piscina with `atomics: 'async'`), and before the worker
 * stops, at `close()` or when it retires, it waits for that work, at most `closeTimeout`
 * milliseconds, then reports what it drops.
 *
 * @internal
 * @packageDocumentation
 */
import { AsyncResource, executionAsyncId } from 'node:async_hooks';
import { type MessagePort, parentPort, threadId, workerData } from 'node:worker_threads';
import type { FunctionReference } from '../reference/format.js';
// Straight from its module: the pool's door (./reference.js) would also load toReference's graph,
// which a worker never uses.
import { fromReference } from '../reference/from-reference.js';
import { allowTypeScriptModules } from '../reference/module-id.js';
import type { ReferenceOptions } from '../reference/options.js';
import { receiverOf } from '../reference/receiver.js';
import { allPrimitive, decode, isEncoded, isReport, reportOf } from './batch.js';
import { carry, describeUncloneable } from './envelope.js';
import { hasUserClass, referenceClasses } from './error-classes.js';
import { whileImporting } from './import-guard.js';
import {
  type BarePrimitive,
  type DispatchedTask,
  DRAIN,
  type DrainReport,
  EACH_ARGUMENT,
  type Failure,
  INITIALIZING,
  ONE_CALL,
  OUT_OF_BAND,
  type OutOfBandMessage,
  type TaskMessage,
  type TaskReport,
  type TaskResponse,
  type WorkerRequest,
  type WorkerSetup,
} from './protocol.js';
import { epochNow } from './records.js';
import type { WorkerRecorder } from './records-worker.js';
import { movesWith, transferListOf } from './transfer.js';
import { endTask, listenForCancels, reportDone, startItem, startTask } from './worker-context.js';

type Callable = (...args: unknown[]) => unknown;

const setup = workerData as WorkerSetup;
const { stdout, stderr } = process;
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
/**
 * The resources open once the initializer has run (piscina's two message ports, and whatever
 * the initializer and the task modules keep open on purpose, such as a connection): the work
 * tasks left behind is what is open beyond these.
 */
let baseline: Map<string, number> | undefined;
/** Errors already reported as a task's own failure, which must not be reported again as faults. */
const reported = new WeakSet<object>();
/**
 * Collects timeline records when the pool asked for them (`onRecord`). Its module is loaded, and
 * the timing engine's direct sink filled, only then, with the initializer, before any task.
 */
let recorder: WorkerRecorder | undefined;

listenForCancels(setup);
// The pool's TypeScript loader was registered before this module loaded (dispatcher-entry.cts).
if (setup.loader !== undefined) allowTypeScriptModules();

process.on('uncaughtException', (error) => onFault(error, executionAsyncId()));
process.on('unhandledRejection', (reason) => onFault(reason, executionAsyncId()));
post({ [OUT_OF_BAND]: 'started', threadId });

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
 * @param request - a task (its reference and items), or a drain request
 * @returns the values of the completed items and any failure, as data
 */
export default function dispatch(
  request: WorkerRequest,
): TaskResponse | DrainReport | Promise<TaskResponse | DrainReport> {
  if (request[0] === DRAIN) return drain(request[1]);
  const message = request as TaskMessage;
  taskStart = nextAsyncId();
  const began = setup.records === undefined ? 0 : epochNow();
  const [id, ref, items, form] = message;
  const task: DispatchedTask = {
    id,
    ref,
    items: form === ONE_CALL ? [items] : isEncoded(items) ? decode(items) : items,
    spread: form !== EACH_ARGUMENT,
    oneCall: form === ONE_CALL,
  };
  startTask(task.id);
  const fn = initDone && initFailure === undefined ? resolved.get(task.ref) : undefined;
  const response = fn === undefined ? prepare(task) : runItems(task, fn, 0, []);
  return response instanceof Promise
    ? response.then((settled) => finish(task, withEvents(settled), began))
    : finish(task, withEvents(response), began);
}

/** Ends the task's context; a task that sent progress events says how many, in its response. */
function withEvents(response: TaskResponse): TaskResponse {
  const events = endTask();
  if (events === 0) return response;
  return { ...reportOf(response), events };
}

function finish(
  task: DispatchedTask,
  settled: TaskResponse,
  began: number,
): TaskResponse | Promise<TaskResponse> {
  const failure = isReport(settled) ? settled.failure : undefined;
  if (failure !== undefined && hasUserClass(failure.thrown)) {
    // Rare, so the one asynchronous step: the error's class is named by reference first.
    return referenceClasses(failure.thrown, policy).then((thrown) =>
      finish(task, { ...(settled as TaskReport), failure: { ...failure, thrown } }, began),
    );
  }
  const response = recorder === undefined ? settled : recorder.attach(task, began, settled);
  completed += 1;
  if (retiring || (setup.maxTasksPerWorker > 0 && completed >= setup.maxTasksPerWorker)) {
    const list = moving;
    moving = undefined; // the retiring answer goes out on parentPort, moving what it marks
    return retire(task.id, response, list);
  }
  const answer = sendMoving(response);
  // What the task printed reaches the main thread before its answer does (piscina does this
  // itself only in its blocking `atomics: 'sync'` mode).
  if (stdout.writableLength > 0 || stderr.writableLength > 0) {
    return flushOutput().then(() => answer);
  }
  return answer;
}

/** The slow path of a task: waits for the initializer and resolves the function first. */
async function prepare(task: DispatchedTask): Promise<TaskResponse> {
  await initialized;
  baseline ??= countResources();
  if (initFailure !== undefined) return { values: [], failure: initFailure };
  const key = task.ref;
  let fn = resolved.get(key);
  if (fn === undefined) {
    let pending = resolving.get(key);
    if (pending === undefined) {
      pending = resolve(key);
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

/**
 * Resolves a reference given as JSON text, with its module marked as being imported (see
 * `import-guard.ts`). A pool refused while the module loaded is the failure to report, whatever
 * the import did next; what the module's own setup leaves open is the worker's, not a task's.
 */
async function resolve(text: string): Promise<Callable> {
  const ref = JSON.parse(text) as FunctionReference;
  const before = countResources();
  const { mark, loaded } = await whileImporting(ref.module, () =>
    fromReference<Callable>(ref, policy),
  );
  if (baseline !== undefined) addOpened(baseline, before, countResources());
  if (mark.refused !== undefined) {
    reported.add(mark.refused);
    throw mark.refused;
  }
  if (loaded.status === 'rejected') throw loaded.reason;
  return loaded.value;
}

/** Runs items from `start` on, synchronously until one returns a promise. */
function runItems(
  task: DispatchedTask,
  fn: Callable,
  start: number,
  values: unknown[],
): TaskResponse | Promise<TaskResponse> {
  const { items, spread } = task;
  // A static method runs with its class as `this`, as `Class.method(...)` would.
  const self = receiverOf(fn);
  for (let index = start; index < items.length; index++) {
    let value: unknown;
    startItem(index);
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
  return complete(values, task.oneCall);
}

/** Awaits one item's promise, unless a fault raised meanwhile fails the task first. */
async function awaitItem(
  task: DispatchedTask,
  fn: Callable,
  index: number,
  values: unknown[],
  pending: PromiseLike<unknown>,
): Promise<TaskResponse> {
  const faulted = new Promise<Failure>((fail) => {
    running = { fail };
  });
  reportDone();
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

function complete(values: unknown[], oneCall: boolean): TaskResponse {
  // The common answer is the bare array of values, or the one call's value: nothing else to
  // clone (answers are never encoded: see batch.ts).
  if (allPrimitive(values, false)) return oneCall ? (values[0] as BarePrimitive) : values;
  const moved = transferListOf(values);
  // A value that moves is checked by the move itself, not copied once more to be checked.
  const copied = moved.length === 0 ? values : values.map((v) => (movesWith(v, moved) ? 0 : v));
  const uncloneable = findUncloneable(copied);
  if (uncloneable !== undefined) {
    return { values: values.slice(0, uncloneable.index), failure: uncloneable };
  }
  if (moved.length > 0) moving = moved;
  return values;
}

/** What the running task's answer moves (values marked with transfer()), until it is sent. */
let moving: (ArrayBuffer | MessagePort)[] | undefined;

/**
 * Hands piscina an answer whose values move rather than copy: piscina transfers what a
 * `Piscina.move()` wrapper lists. piscina is imported the first time only, so a worker that
 * never transfers never loads it.
 */
function sendMoving(response: TaskResponse): TaskResponse | Promise<TaskResponse> {
  const list = moving;
  moving = undefined;
  if (list === undefined) return response;
  return import('piscina').then(
    ({ Piscina }) =>
      Piscina.move({
        [Piscina.transferableSymbol]: list,
        [Piscina.valueSymbol]: response,
      } as never) as unknown as TaskResponse,
  );
}

async function initialize(): Promise<Failure | undefined> {
  if (setup.initializer === undefined) return undefined;
  try {
    const initializer = await resolve(setup.initializer);
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
 * it is reported at once as a late error and the worker retires after its current task. Promise
 * callbacks carry no id (Node tracks them only with async hooks on, which would slow every
 * task), so an unhandled rejection is blamed on the running task, if any.
 */
function onFault(error: unknown, origin: number): void {
  if (typeof error === 'object' && error !== null && reported.has(error)) return;
  retiring = true;
  if (running !== undefined && (origin === 0 || origin >= taskStart)) {
    running.fail({ kind: 'async', index: 0, thrown: carry(error) });
  } else {
    post({ [OUT_OF_BAND]: 'late', thrown: carry(error) });
  }
}

/** The async id the next resource will get: a marker of "now" on the async id clock. */
function nextAsyncId(): number {
  return new AsyncResource('selfsame.pool.mark').asyncId();
}

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  // Node's names of what keeps the event loop alive: unref'd timers and handles are not listed.
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

function addOpened(
  into: Map<string, number>,
  before: Map<string, number>,
  after: Map<string, number>,
): void {
  for (const [kind, count] of after) {
    const opened = count - (before.get(kind) ?? 0);
    if (opened > 0) into.set(kind, (into.get(kind) ?? 0) + opened);
  }
}

/** The resources open beyond the baseline, one name per resource. */
function pendingWork(): string[] {
  const pending: string[] = [];
  for (const [kind, count] of countResources()) {
    for (let extra = count - (baseline?.get(kind) ?? 0); extra > 0; extra--) pending.push(kind);
  }
  return pending;
}

/**
 * Lets the event loop run until the work tasks left behind is done or `within` milliseconds
 * have passed, and returns what is still pending.
 */
async function settle(within: number, deadline = performance.now() + within): Promise<string[]> {
  let pending = pendingWork();
  while (pending.length > 0 && performance.now() < deadline) {
    await pause();
    pending = pendingWork();
  }
  return pending;
}

/** A short wait, unref'd so that it never counts as pending work itself. */
function pause(): Promise<void> {
  return new Promise((wake) => setTimeout(wake, 5).unref());
}

/**
 * The answer to `close()`'s drain request: the initializer has finished (a worker that got no
 * task still runs it, as Python's does), then the work tasks left behind has run; both within
 * `within` milliseconds.
 */
async function drain(within: number): Promise<DrainReport> {
  const deadline = performance.now() + within;
  while (!initDone && performance.now() < deadline) await pause();
  if (!initDone) return { pending: [INITIALIZING] };
  baseline ??= countResources();
  return { pending: await settle(within, deadline) };
}

/**
 * Retires this worker without letting piscina hand it another task: the response goes out on
 * `parentPort` at once, moving the values marked with `transfer()` as piscina would, the work the worker's tasks left scheduled gets `closeTimeout` to run,
 * then the thread exits (Node delivers the messages before the worker's `exit` event), and
 * piscina starts a fresh one. After a fault the thread exits at once, dropping that work with
 * it: it is not trusted any more, and the failed task's error already says it was replaced.
 */
async function retire(
  id: number,
  response: TaskResponse,
  moves?: readonly (ArrayBuffer | MessagePort)[],
): Promise<never> {
  const report = reportOf(response);
  post({ [OUT_OF_BAND]: 'answer', id, response: report }, moves);
  if (!retiring) {
    const pending = await settle(setup.closeTimeout);
    if (pending.length > 0) post({ [OUT_OF_BAND]: 'dropped', pending });
  }
  await flushOutput();
  process.exit(0);
}

function post(message: OutOfBandMessage, moves?: readonly (ArrayBuffer | MessagePort)[]): void {
  parentPort?.postMessage(message, moves);
}

async function flushOutput(): Promise<void> {
  for (const stream of [stdout, stderr]) {
    await new Promise<void>((done) => stream.write('', () => done()));
  }
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
