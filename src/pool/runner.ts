/**
 * The pool's engine room: one piscina instance running the fixed dispatcher, the pool's own
 * queue in front of it, and the mapping of every answer or rejection to a task's outcome.
 *
 * The queue is the pool's, not piscina's: a task goes to piscina only when a worker is free, so
 * a task's timeout starts when it is handed to a worker and never counts time spent waiting.
 *
 * @internal
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AHEAD_MIN_ITEMS, allPrimitive, decode, encode, isEncoded } from './batch.js';
import { PoolClosedError, UncloneableError } from './errors.js';
import {
  fromRejection,
  fromResponse,
  lateWarnings,
  type Outcome,
  type TaskFacts,
} from './outcome.js';
import { OUT_OF_BAND, type TaskMessage, type TaskResponse, type WorkerSetup } from './protocol.js';
import { epochNow, type TaskRecorder } from './records.js';

/** A function ready to send: its reference as JSON text (one string clones fastest), its label. */
export interface Sendable {
  readonly wire: string;
  readonly label: string;
}

/** One task: some items of one call, sent to a worker together. */
export interface Task {
  readonly id: number;
  readonly fn: Sendable;
  /** The items: argument lists when `spread`, else each item the one argument. */
  readonly items: readonly unknown[];
  readonly spread: boolean;
  readonly offset: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (outcome: Outcome) => void;
  dispatched: boolean;
  settled: boolean;
  timeoutSignal?: AbortSignal;
  /** The items' bytes, serialized ahead while the workers run earlier tasks (see batch.ts). */
  encoded?: Uint8Array | false;
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
  /** Called after every task settles, so the pool can tell when it is idle. */
  readonly onSettle: () => void;
  /** Records the tasks' spans when the pool collects timeline records (`onRecord`). */
  readonly recorder: TaskRecorder | undefined;
}

// setTimeout's ceiling: a longer timeout would fire at once.
const MAX_TIMEOUT = 2 ** 31 - 1;

/** Runs tasks on piscina, one per worker at a time, in the order they were queued. */
export class TaskRunner {
  readonly #piscina: Piscina;
  readonly #options: RunnerOptions;
  readonly #queue: Task[] = [];
  readonly #running = new Map<number, Task>();
  #terminating = false;
  #nextId = 1;

  /** @throws {@link UncloneableError} when `initargs` cannot be sent to the workers */
  constructor(options: RunnerOptions) {
    this.#options = options;
    const { size, setup, resourceLimits, execArgv } = options;
    try {
      this.#piscina = new Piscina({
        filename: dispatcherFile(),
        minThreads: size,
        maxThreads: size,
        concurrentTasksPerWorker: 1,
        idleTimeout: Number.POSITIVE_INFINITY,
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
    this.#piscina.on('message', (message: unknown) => this.#onOutOfBand(message));
    // A worker failing with no task of its own (piscina's 'error' event) must not crash the
    // process: it is reported as a warning, and piscina replaces the worker.
    this.#piscina.on('error', (error: unknown) => {
      process.emitWarning(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** Whether no task is queued or running. */
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
  ): { task: Task; outcome: Promise<Outcome> } {
    let resolve!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((done) => {
      resolve = done;
    });
    const task: Task = {
      id: this.#nextId++,
      fn,
      items,
      spread,
      offset,
      signal,
      resolve,
      dispatched: false,
      settled: false,
    };
    if (signal !== undefined) {
      const onAbort = (): void => {
        if (!task.dispatched) {
          const aborted = Object.assign(new Error('aborted'), { name: 'AbortError' });
          this.#settle(task, { values: [], error: fromRejection(aborted, this.#facts(task)) });
        }
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        void outcome.then(() => signal.removeEventListener('abort', onAbort));
      }
    }
    if (!task.settled) this.#queue.push(task);
    this.#options.recorder?.queued(task);
    return { task, outcome };
  }

  /** Drops a task that has not started, settling it with `reason`. */
  cancel(task: Task, reason: unknown): void {
    if (!task.dispatched) this.#settle(task, { values: [], error: reason });
  }

  /**
   * Hands queued tasks to piscina while a worker is free, so piscina's own queue stays empty;
   * then serializes the items of the tasks next in line, one per worker, so that a worker that
   * answers gets its next task at once (see batch.ts).
   */
  pump(): void {
    this.#dispatch();
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

  #dispatch(): void {
    while (this.#running.size < this.#options.size && this.#queue.length > 0) {
      const task = this.#queue.shift() as Task;
      if (task.settled) continue;
      task.dispatched = true;
      this.#running.set(task.id, task);
      let signal = task.signal;
      const { timeout } = this.#options;
      if (timeout !== undefined) {
        task.timeoutSignal = AbortSignal.timeout(
          Math.min(timeout * task.items.length, MAX_TIMEOUT),
        );
        signal =
          signal === undefined ? task.timeoutSignal : AbortSignal.any([signal, task.timeoutSignal]);
      }
      const recorder = this.#options.recorder;
      const handing = recorder === undefined ? 0 : epochNow();
      const { encoded } = task;
      const message: TaskMessage = [task.id, task.fn.wire, encoded || task.items, task.spread];
      this.#piscina
        .run(message, {
          ...(signal === undefined ? {} : { signal }),
          // The bytes are moved, not copied, when they own their whole buffer (v8.serialize gives
          // each batch its own): a view into a shared buffer would detach the rest of it.
          ...(encoded && ownsBuffer(encoded)
            ? { transferList: [encoded.buffer as ArrayBuffer] }
            : {}),
        })
        .then(
          (response: TaskResponse) => this.#answer(task, response),
          (error: unknown) =>
            this.#settle(task, { values: [], error: fromRejection(error, this.#facts(task)) }),
        );
      recorder?.dispatched(task, handing);
    }
  }

  /** Lets running and queued tasks finish, then stops the workers. */
  close(): Promise<void> {
    return this.#piscina.close();
  }

  /** Rejects queued and running tasks with {@link PoolClosedError} and stops the workers. */
  async terminate(): Promise<void> {
    this.#terminating = true;
    for (const task of this.#queue.splice(0)) {
      this.#settle(task, {
        values: [],
        error: new PoolClosedError(`The pool was terminated before ${task.fn.label} started`),
      });
    }
    await this.#piscina.destroy();
  }

  #onOutOfBand(message: unknown): void {
    if (typeof message !== 'object' || message === null || !(OUT_OF_BAND in message)) return;
    const { [OUT_OF_BAND]: id, response } = message as {
      [OUT_OF_BAND]: number;
      response: TaskResponse;
    };
    const task = this.#running.get(id);
    if (task !== undefined) this.#answer(task, response);
  }

  #answer(task: Task, response: TaskResponse): void {
    if (!Array.isArray(response) && !isEncoded(response) && response.records !== undefined) {
      this.#options.recorder?.received(response.records);
    }
    if (Array.isArray(response)) {
      this.#settle(task, { values: response });
      return;
    }
    if (isEncoded(response)) {
      // The worker is free: it gets its next task before this answer is decoded.
      this.#release(task);
      this.#settle(task, { values: decode(response) });
      return;
    }
    if (response.late !== undefined) {
      for (const warning of lateWarnings(response.late)) process.emitWarning(warning);
    }
    this.#settle(
      task,
      response.failure === undefined ? response : fromResponse(response, this.#facts(task)),
    );
  }

  #settle(task: Task, outcome: Outcome): void {
    if (task.settled) return;
    task.settled = true;
    this.#options.recorder?.settled(task, 'error' in outcome);
    this.#release(task);
    task.resolve(outcome);
    this.#options.onSettle();
  }

  /** Frees the worker that ran `task`, handing it the next task. */
  #release(task: Task): void {
    if (this.#running.delete(task.id)) this.pump();
  }

  #facts(task: Task): TaskFacts {
    return {
      label: task.fn.label,
      initializer: this.#options.initializerLabel,
      items: task.items,
      spread: task.spread,
      offset: task.offset,
      signal: task.signal,
      timeoutSignal: task.timeoutSignal,
      timeout: (this.#options.timeout ?? 0) * task.items.length,
      terminating: this.#terminating,
    };
  }
}

/**
 * The dispatcher's CommonJS entry is the only file piscina ever loads (see
 * `dispatcher-entry.cts` for why it is CommonJS). A worker thread needs compiled JavaScript,
 * so when this module runs from its TypeScript source (the test suite), the build's dispatcher
 * is used.
 */
function dispatcherFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../dist/pool/dispatcher-entry.cjs', here)
    : new URL('./dispatcher-entry.cjs', here);
  return fileURLToPath(url);
}

/** Whether `bytes` is a view of the whole of its own buffer, which may then be transferred. */
function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
