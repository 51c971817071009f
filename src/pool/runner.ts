/**
 * The pool's engine room: one piscina instance running the fixed dispatcher, the pool's own
 * queue in front of it, and the mapping of every answer or rejection to a task's outcome.
 *
 * The queue is the pool's, not piscina's: a task goes to piscina only when a worker is free, so
 * a task's timeout starts when it is handed to a worker and never counts time spent waiting. A
 * task keeps its worker's slot until piscina's own promise for it settles, even when its answer
 * came earlier (a retiring worker answers on its own port, then exits): so "no task running"
 * also means "no worker still on its way out", which `close()` relies on.
 *
 * @internal
 * @packageDocumentation
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { MessagePort, ResourceLimits, Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AHEAD_MIN_ITEMS, allPrimitive, encode, isReport, reportOf } from './batch.js';
import { Cancellation } from './cancellation.js';
import { namesClasses, resolveClasses } from './error-classes.js';
import { PoolClosedError, UncloneableError } from './errors.js';
import {
  cannotStart,
  droppedWarning,
  fromRejection,
  fromResponse,
  lateWarning,
  type Outcome,
  type TaskFacts,
} from './outcome.js';
import {
  ARGUMENT_LISTS,
  DRAIN,
  type DrainMessage,
  type DrainReport,
  EACH_ARGUMENT,
  ONE_CALL,
  OUT_OF_BAND,
  type OutOfBandMessage,
  TASK_EVENT,
  type TaskMessage,
  type TaskReport,
  type TaskResponse,
  UNANSWERED,
  type WorkerSetup,
} from './protocol.js';
import { epochNow, type TaskRecorder } from './records.js';
import {
  afterEvents,
  deliver,
  isTaskEvent,
  type Relayed,
  type TaskHooks,
} from './task-progress.js';
import { transferListOf } from './transfer.js';

/** A function ready to send: its reference as JSON text (one string clones fastest), its label. */
export interface Sendable {
  readonly wire: string;
  readonly label: string;
}

/** One task as the runner tracks it, from `submit()` until its worker slot is free again. */
export interface RunnerTask extends Relayed {
  readonly id: number;
  readonly fn: Sendable;
  /** The items: argument lists when `spread`, else each item the one argument. */
  readonly items: readonly unknown[];
  readonly spread: boolean;
  readonly offset: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (outcome: Outcome) => void;
  /** Handed to piscina: from then on it holds a worker slot. */
  dispatched: boolean;
  /** Its outcome has been delivered. */
  settled: boolean;
  /** Its worker answered (the outcome may still wait for its progress events or error class). */
  answered: boolean;
  /** Stops the task on its worker; made at dispatch when it has a signal or a timeout. */
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
  timedOut: boolean;
  /** The items' bytes, serialized ahead while the workers run earlier tasks (see batch.ts). */
  encoded?: Uint8Array | false;
  /** What its arguments moved to the worker (marked with `transfer()`). */
  moved?: readonly (ArrayBuffer | MessagePort)[];
}

/** How a {@link TaskRunner} is set up. */
export interface RunnerOptions {
  readonly size: number;
  readonly timeout: number | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  /** The workers' `execArgv` when it is not this process's (see loader.ts). */
  readonly execArgv: string[] | undefined;
  readonly setup: WorkerSetup;
  readonly initializerLabel: string | undefined;
  /** How long a running task may take to stop by itself once aborted; 0: stop its worker now. */
  readonly abortGracePeriod: number;
  /** Called after every task settles or frees its slot, so the pool can tell when it is idle. */
  readonly onSettle: () => void;
  /** Records the tasks' spans when the pool collects timeline records (`onRecord`). */
  readonly recorder: TaskRecorder | undefined;
}

// setTimeout's ceiling: a longer timeout would fire at once.
const MAX_TIMEOUT = 2 ** 31 - 1;
/** How long `close()` waits beyond `closeTimeout` for a worker too busy to answer its drain. */
const DRAIN_GRACE = 1000;

/** The abort listener of one signal, shared by every task that uses it. */
interface Watch {
  readonly tasks: Set<RunnerTask>;
  readonly listener: () => void;
}

/**
 * Tasks by id, in a plain array. The runner holds a few at a time (one per worker, and those
 * whose progress events are still on their way), and a `Map` keyed by ever-growing ids is the
 * wrong tool for that: V8 rehashes its table every few insertions, so a set and a delete cost
 * 240-530 ns here against 50-110 ns for an array scanned by id (the two of each task were 15%
 * of a CPU profile of `apply` calls against a stub piscina).
 */
class TaskTable {
  readonly #tasks: RunnerTask[] = [];

  get size(): number {
    return this.#tasks.length;
  }

  add(task: RunnerTask): void {
    this.#tasks.push(task);
  }

  get(id: number): RunnerTask | undefined {
    for (const task of this.#tasks) if (task.id === id) return task;
    return undefined;
  }

  delete(task: RunnerTask): void {
    const index = this.#tasks.indexOf(task);
    if (index === -1) return;
    // Order does not matter: the last task takes the place of the one removed.
    const last = this.#tasks.pop() as RunnerTask;
    if (index < this.#tasks.length) this.#tasks[index] = last;
  }
}

/** Runs tasks on piscina, one per worker at a time, in the order they were queued. */
export class TaskRunner {
  readonly #piscina: Piscina;
  readonly #options: RunnerOptions;
  readonly #queue: RunnerTask[] = [];
  /** Tasks holding a worker slot, until piscina's own promise for them settles. */
  readonly #running = new TaskTable();
  /**
   * Tasks dispatched and not settled, by id: their progress events may still arrive after
   * piscina freed their slot (the events travel apart from the answer, see task-progress.ts).
   */
  readonly #relaying = new TaskTable();
  readonly #cancellation: Cancellation;
  /** One abort listener per signal, however many tasks share it (a map of 10,000 items). */
  readonly #watches = new Map<AbortSignal, Watch>();
  /** This pool's threads until they exit, and the ids of those whose dispatcher has started. */
  readonly #exits = new Map<Worker, Promise<unknown>>();
  readonly #started = new Set<number>();
  /** Errors of threads that failed before their dispatcher started, and the first of them. */
  readonly #startErrors = new WeakSet<object>();
  #startFailure: { readonly error: unknown } | undefined;
  #stopping: 'closing' | 'terminating' | undefined;
  #stopped: Promise<void> | undefined;
  #nextId = 1;

  /** @throws {@link UncloneableError} when `initargs` cannot be sent to the workers */
  constructor(options: RunnerOptions) {
    this.#options = options;
    this.#cancellation = new Cancellation(options.abortGracePeriod);
    const { size, resourceLimits, execArgv } = options;
    const setup: WorkerSetup = {
      ...options.setup,
      cancelChannel: this.#cancellation.channelName,
      cancelFlags: this.#cancellation.flags,
    };
    try {
      this.#piscina = new Piscina({
        filename: dispatcherFile(),
        minThreads: size,
        maxThreads: size,
        concurrentTasksPerWorker: 1,
        idleTimeout: Number.POSITIVE_INFINITY,
        // piscina's default, 'sync', parks an idle worker in a blocking Atomics.wait(): the
        // timers and I/O a task left behind would not run until the next task arrives.
        atomics: 'async',
        workerData: setup,
        ...(resourceLimits === undefined ? {} : { resourceLimits }),
        ...(execArgv === undefined ? {} : { execArgv }),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'DataCloneError') {
        throw new UncloneableError(
          `Cannot send \`options.initargs\` to the worker threads: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    watchThreads(this);
    this.#piscina.on('message', (message: unknown) => this.#onOutOfBand(message));
    // A worker failing with no task of its own (piscina's 'error' event) must not crash the
    // process. A thread that could not start is reported to the calls instead (its own 'error'
    // listener, which runs after piscina's, marks it first); once the pool is stopping, errors
    // of threads being stopped are no one's fault; and so is an answer piscina received after it
    // had dropped its task (see `isStaleAnswer`). Anything else is a warning, and piscina
    // replaces the worker.
    this.#piscina.on('error', (error: unknown) => {
      queueMicrotask(() => {
        if (this.#stopping !== undefined || this.#isStartError(error) || isStaleAnswer(error)) {
          return;
        }
        process.emitWarning(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Whether no task is queued or holds a worker. */
  get idle(): boolean {
    return this.#queue.length === 0 && this.#running.size === 0;
  }

  /** Queues a task; {@link TaskRunner.pump} sends it. */
  submit(
    fn: Sendable,
    items: readonly unknown[],
    spread: boolean,
    offset: number,
    signal: AbortSignal | undefined,
    hooks?: TaskHooks,
  ): { task: RunnerTask; outcome: Promise<Outcome> } {
    let resolve!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((done) => {
      resolve = done;
    });
    return { task: this.#enqueue(fn, items, spread, offset, signal, hooks, resolve), outcome };
  }

  /**
   * Queues and sends a task of one call (`apply`): the promise settles with the call's value or
   * its error as the outcome arrives, one promise step sooner than an outcome awaited.
   */
  call(fn: Sendable, args: readonly unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    const value = new Promise<unknown>((resolve, reject) => {
      this.#enqueue(fn, [args], true, 0, signal, undefined, (outcome) => {
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.values[0]);
      });
    });
    this.pump();
    return value;
  }

  #enqueue(
    fn: Sendable,
    items: readonly unknown[],
    spread: boolean,
    offset: number,
    signal: AbortSignal | undefined,
    hooks: TaskHooks | undefined,
    resolve: (outcome: Outcome) => void,
  ): RunnerTask {
    const task: RunnerTask = {
      id: this.#nextId++,
      fn,
      items,
      spread,
      offset,
      signal,
      resolve,
      dispatched: false,
      settled: false,
      answered: false,
      timedOut: false,
      hooks,
      events: 0,
    };
    if (signal?.aborted) this.#settle(task, { values: [], error: this.#aborted(task) });
    else if (this.#startFailure !== undefined) this.#settle(task, this.#cannotStart(task));
    else {
      if (signal !== undefined) this.#watch(task, signal);
      this.#queue.push(task);
    }
    this.#options.recorder?.queued(task);
    return task;
  }

  /** Drops a task that has not started, settling it with `reason`. */
  cancel(task: RunnerTask, reason: unknown): void {
    if (!task.dispatched) this.#settle(task, { values: [], error: reason });
  }

  /**
   * Hands queued tasks to piscina while a worker is free, so piscina's own queue stays empty;
   * then serializes the items of the tasks next in line, one per worker, so that a worker that
   * answers gets its next task at once (see batch.ts).
   */
  pump(): void {
    while (this.#running.size < this.#options.size && this.#queue.length > 0) {
      const task = this.#queue.shift() as RunnerTask;
      if (task.settled) continue;
      if (this.#startFailure !== undefined) this.#settle(task, this.#cannotStart(task));
      else this.#dispatch(task);
    }
    if (this.#queue.length === 0) return;
    let ahead = 0;
    for (const task of this.#queue) {
      if (ahead === this.#options.size) break;
      if (task.settled) continue;
      task.encoded ??=
        task.items.length >= AHEAD_MIN_ITEMS && allPrimitive(task.items, task.spread)
          ? encode(task.items)
          : false;
      ahead += 1;
    }
  }

  /**
   * Stops the workers once the pool is idle: each first finishes its initializer and gets
   * `within` milliseconds for the work its tasks left scheduled; what is still pending then is
   * reported as a {@link WorkDroppedError} warning.
   */
  async close(within: number): Promise<void> {
    this.#stopping ??= 'closing';
    if (this.#startFailure === undefined && this.#stopping === 'closing') {
      const drain: DrainMessage = [DRAIN, within];
      const reports = this.#piscina.threads.map(() =>
        this.#piscina.run(drain).then(
          (report: DrainReport) => report.pending,
          () => [], // a thread that failed or stopped has nothing left to run
        ),
      );
      let backstop: ReturnType<typeof setTimeout> | undefined;
      const busy = new Promise<'busy'>((resolve) => {
        backstop = setTimeout(resolve, within + DRAIN_GRACE, 'busy');
      });
      const drained = await Promise.race([Promise.all(reports), busy]);
      clearTimeout(backstop);
      const pending = drained === 'busy' ? [UNANSWERED] : drained.flat();
      if (pending.length > 0) {
        process.emitWarning(
          droppedWarning(
            pending,
            `close() stopped the pool's worker threads after \`closeTimeout\` (${within} ms)`,
          ),
        );
      }
    }
    await this.#stop();
  }

  /** Rejects queued and running tasks with {@link PoolClosedError} and stops the workers. */
  async terminate(): Promise<void> {
    this.#stopping = 'terminating';
    for (const task of this.#queue.splice(0)) {
      this.#settle(task, {
        values: [],
        error: new PoolClosedError(`The pool was terminated before ${task.fn.label} started`),
      });
    }
    await this.#stop();
  }

  /** Called for every thread Node starts in this process; keeps track of this pool's own. */
  adopt(worker: Worker): void {
    if (this.#exits.has(worker) || !this.#piscina.threads.includes(worker)) return;
    const { threadId } = worker;
    worker.once('error', (error: unknown) => {
      if (!this.#started.has(threadId)) this.#failToStart(error);
    });
    const exit = once(worker, 'exit').catch(() => undefined);
    this.#exits.set(worker, exit);
    void exit.then(() => {
      this.#exits.delete(worker);
      this.#started.delete(threadId);
    });
  }

  /**
   * Stops every thread, including those piscina already let go of that have not exited yet;
   * once only, so that a terminate() during close() and the close() itself share it.
   */
  #stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#piscina.destroy();
      await Promise.all(this.#exits.values());
      this.#cancellation.close();
      unwatchThreads(this);
    })();
    return this.#stopped;
  }

  #dispatch(task: RunnerTask): void {
    task.dispatched = true;
    this.#running.add(task);
    this.#relaying.add(task);
    const { timeout } = this.#options;
    if (task.signal !== undefined || timeout !== undefined) {
      const controller = new AbortController();
      task.controller = controller;
      if (timeout !== undefined) {
        task.timer = setTimeout(
          () => {
            task.timedOut = true;
            controller.abort();
          },
          Math.min(timeout * task.items.length, MAX_TIMEOUT),
        );
        // Like AbortSignal.timeout(): the running task keeps the process alive, not its timer.
        task.timer.unref();
      }
    }
    const recorder = this.#options.recorder;
    const handing = recorder === undefined ? 0 : epochNow();
    const { encoded, items, spread } = task;
    const message: TaskMessage = encoded
      ? [task.id, task.fn.wire, encoded, spread ? ARGUMENT_LISTS : EACH_ARGUMENT]
      : spread && items.length === 1
        ? [task.id, task.fn.wire, items[0] as readonly unknown[], ONE_CALL]
        : [task.id, task.fn.wire, items, spread ? ARGUMENT_LISTS : EACH_ARGUMENT];
    // Arguments marked with transfer() move to the worker (transfer.ts). The bytes are moved,
    // not copied, when they own their whole buffer (v8.serialize gives each batch its own): a
    // view into a shared buffer would detach the rest of it.
    const transferList = encoded
      ? ownsBuffer(encoded)
        ? [encoded.buffer as ArrayBuffer]
        : []
      : transferListOf(items, spread);
    if (!encoded && transferList.length > 0) task.moved = transferList;
    const signal = task.controller?.signal;
    this.#piscina
      // Without options, piscina uses its own frozen defaults rather than copying an object.
      .run(
        message,
        signal === undefined && transferList.length === 0
          ? undefined
          : { signal: signal ?? null, transferList },
      )
      .then(
        (response: TaskResponse) => {
          this.#free(task);
          this.#answer(task, response);
          this.#options.onSettle();
        },
        (error: unknown) => {
          this.#free(task);
          // A retiring worker answered on its own port, then exited: its answer stands.
          if (!task.answered) this.#settle(task, this.#rejected(task, error));
          this.#options.onSettle();
        },
      );
    recorder?.dispatched(task, handing);
  }

  /**
   * piscina is done with a task: its slot is free, and the worker gets its next task before
   * this task's answer is delivered.
   */
  #free(task: RunnerTask): void {
    clearTimeout(task.timer);
    this.#running.delete(task);
    this.pump();
  }

  #rejected(task: RunnerTask, error: unknown): Outcome {
    if (this.#isStartError(error)) return this.#cannotStart(task);
    return { values: [], error: fromRejection(error, this.#facts(task)) };
  }

  #onOutOfBand(message: unknown): void {
    if (isTaskEvent(message)) {
      const task = this.#relaying.get(message[TASK_EVENT]);
      if (task !== undefined) deliver(task, message);
      return;
    }
    if (typeof message !== 'object' || message === null || !(OUT_OF_BAND in message)) return;
    const received = message as OutOfBandMessage;
    switch (received[OUT_OF_BAND]) {
      case 'started':
        this.#started.add(received.threadId);
        return;
      case 'answer': {
        const task = this.#running.get(received.id);
        if (task !== undefined) this.#answer(task, received.response);
        return;
      }
      case 'late':
        process.emitWarning(lateWarning(received.thrown));
        return;
      case 'dropped':
        process.emitWarning(
          droppedWarning(received.pending, 'A worker thread of the pool retired'),
        );
        return;
    }
  }

  #answer(task: RunnerTask, response: TaskResponse): void {
    if (task.answered) return;
    task.answered = true;
    // Answered: its timeout no longer applies, even while the outcome waits for its events.
    clearTimeout(task.timer);
    if (!isReport(response)) this.#settle(task, reportOf(response));
    else {
      if (response.records !== undefined) this.#options.recorder?.received(response.records);
      const { failure } = response;
      if (failure !== undefined && namesClasses(failure.thrown)) {
        // The error's class travelled by reference: resolve it before the error is rebuilt.
        void resolveClasses(failure.thrown, this.#options.setup.policy).then(() =>
          this.#report(task, response),
        );
      } else this.#report(task, response);
    }
  }

  /** Settles an answered task once every progress event it sent was delivered. */
  #report(task: RunnerTask, response: TaskReport): void {
    if (response.events !== undefined && task.events < response.events) {
      afterEvents(task, response.events, () => this.#report(task, { ...response, events: 0 }));
      return;
    }
    this.#settle(
      task,
      response.failure === undefined ? response : fromResponse(response, this.#facts(task)),
    );
  }

  #settle(task: RunnerTask, settled: Outcome): void {
    if (task.settled) return;
    task.settled = true;
    this.#relaying.delete(task);
    let outcome = this.#cancellation.settle(task, settled);
    // A hook (the caller's onProgress) threw while the task ran: that is the task's failure.
    if (task.hookError !== undefined) {
      outcome = { values: outcome.values, error: task.hookError.error };
    }
    // Answered: a retiring worker's wait for its leftover work is bounded by `closeTimeout`,
    // and must not be cut short by the timeout of the task it already answered.
    clearTimeout(task.timer);
    if (task.signal !== undefined) this.#unwatch(task, task.signal);
    this.#options.recorder?.settled(task, 'error' in outcome);
    task.resolve(outcome);
    this.#options.onSettle();
  }

  #watch(task: RunnerTask, signal: AbortSignal): void {
    let watch = this.#watches.get(signal);
    if (watch === undefined) {
      const created: Watch = { tasks: new Set(), listener: () => this.#abort(signal, created) };
      watch = created;
      this.#watches.set(signal, watch);
      signal.addEventListener('abort', watch.listener, { once: true });
    }
    watch.tasks.add(task);
  }

  #unwatch(task: RunnerTask, signal: AbortSignal): void {
    const watch = this.#watches.get(signal);
    if (watch === undefined || !watch.tasks.delete(task) || watch.tasks.size > 0) return;
    this.#watches.delete(signal);
    signal.removeEventListener('abort', watch.listener);
  }

  /** A signal aborted: its queued tasks never start, its running ones stop their worker. */
  #abort(signal: AbortSignal, watch: Watch): void {
    this.#watches.delete(signal);
    for (const task of watch.tasks) {
      if (task.dispatched) {
        const { controller } = task;
        // With an abortGracePeriod the task is asked to stop first (cancellation.ts).
        if (controller !== undefined) {
          this.#cancellation.abort(task, signal, () => controller.abort(signal.reason));
        }
      } else this.#settle(task, { values: [], error: this.#aborted(task) });
    }
  }

  #aborted(task: RunnerTask): Error {
    const aborted = Object.assign(new Error('aborted'), { name: 'AbortError' });
    return fromRejection(aborted, this.#facts(task));
  }

  /** A thread of this pool failed before its dispatcher loaded: no thread of it will start. */
  #failToStart(error: unknown): void {
    if (typeof error === 'object' && error !== null) this.#startErrors.add(error);
    if (this.#startFailure !== undefined || this.#stopping !== undefined) return;
    this.#startFailure = { error };
    for (const task of this.#queue.splice(0)) this.#settle(task, this.#cannotStart(task));
  }

  #isStartError(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.#startErrors.has(error);
  }

  #cannotStart(task: RunnerTask): Outcome {
    return { values: [], error: cannotStart(this.#startFailure?.error, task.fn.label) };
  }

  #facts(task: RunnerTask): TaskFacts {
    return {
      label: task.fn.label,
      initializer: this.#options.initializerLabel,
      items: task.items,
      spread: task.spread,
      offset: task.offset,
      signal: task.signal,
      timedOut: task.timedOut,
      timeout: (this.#options.timeout ?? 0) * task.items.length,
      terminating: this.#stopping === 'terminating',
      moved: task.moved ?? [],
    };
  }
}

/**
 * piscina 5.3.2 closes a worker's port when it stops the worker (an abort, a timeout,
 * `destroy()`), but an answer already queued on that port is still delivered; finding no task
 * for it, piscina emits `Unexpected message from Worker: ...`. The task was settled already
 * (aborted, timed out or terminated): the message is bookkeeping, not a fault.
 */
function isStaleAnswer(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Unexpected message from Worker: ');
}

/**
 * Node tells about every thread it starts (`process.on('worker')`, on the next tick), the only
 * way to see each thread piscina starts, replacements included, before it can fail: one
 * listener for all runners, so that many pools never pile up listeners on `process`.
 */
const watching = new Set<TaskRunner>();

function onWorker(worker: Worker): void {
  for (const runner of watching) runner.adopt(worker);
}

function watchThreads(runner: TaskRunner): void {
  if (watching.size === 0) process.on('worker', onWorker);
  watching.add(runner);
}

function unwatchThreads(runner: TaskRunner): void {
  if (watching.delete(runner) && watching.size === 0) process.off('worker', onWorker);
}

/**
 * The dispatcher's CommonJS entry is the only file piscina ever loads (see
 * `dispatcher-entry.cts` for why it is CommonJS). It sits beside this module in the build; tests
 * that run a pool import the build, so that they run what they test.
 */
function dispatcherFile(): string {
  return fileURLToPath(new URL('./dispatcher-entry.cjs', import.meta.url));
}

/** Whether `bytes` is a view of the whole of its own buffer, which may then be transferred. */
function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
