/**
 * Turns what comes back from a worker into a task's outcome: a response's values and failure,
 * or a piscina rejection (an exit, out of memory, an abort, a termination) mapped to the pool
 * error with its own code.
 *
 * @internal
 * @packageDocumentation
 */
import type { MessagePort } from 'node:worker_threads';
import { describeValue } from '../internal/describe.js';
import { describeUncloneable, restore } from './envelope.js';
import {
  PoolClosedError,
  TaskAbortedError,
  TaskFailedError,
  TaskTimeoutError,
  UncloneableError,
  WorkDroppedError,
  WorkerExitError,
  WorkerInitError,
  WorkerOutOfMemoryError,
} from './errors.js';
import type { Carried, TaskReport } from './protocol.js';
import { movesWith } from './transfer.js';

/** A task's outcome: the values of the items that completed, then the failure that stopped it. */
export interface Outcome {
  readonly values: readonly unknown[];
  readonly error?: unknown;
}

/** What the pool knows about a task when its outcome arrives. */
export interface TaskFacts {
  /** The function, as "`qualname` (module)". */
  readonly label: string;
  /** The initializer, as "`qualname` (module)", when the pool has one. */
  readonly initializer: string | undefined;
  /** The task's items: argument lists when `spread`, else each item the one argument. */
  readonly items: readonly unknown[];
  readonly spread: boolean;
  /** The position of the task's first item in the caller's input. */
  readonly offset: number;
  readonly signal: AbortSignal | undefined;
  /** Whether the pool's `timeout` stopped the task. */
  readonly timedOut: boolean;
  readonly timeout: number;
  readonly terminating: boolean;
  /** What the task's arguments moved (marked with `transfer()`): sent, so never to blame. */
  readonly moved: readonly (ArrayBuffer | MessagePort)[];
}

/** Maps a worker's response to an outcome, rebuilding errors from their envelopes. */
export function fromResponse(response: TaskReport, facts: TaskFacts): Outcome {
  const { failure, values } = response;
  if (failure === undefined) return { values };
  const { label } = facts;
  const thrown = restore(failure.thrown);
  const cause = { cause: thrown };
  switch (failure.kind) {
    case 'throw':
      return {
        values,
        error:
          thrown instanceof Error
            ? thrown
            : new TaskFailedError(
                `${label} threw a value that is not an Error: ${describeValue(thrown)}`,
                cause,
              ),
      };
    case 'async':
      return {
        values,
        error: new TaskFailedError(
          `${label} raised an uncaught exception or unhandled rejection in its worker thread; the worker was replaced`,
          cause,
        ),
      };
    case 'uncloneable':
      return {
        values,
        error: new UncloneableError(
          `Cannot send the result of ${label} back from its worker thread: ${failure.what ?? 'the value'} cannot be structured-cloned`,
          cause,
        ),
      };
    case 'init':
      return {
        values,
        error: new WorkerInitError(
          `The pool's initializer ${facts.initializer ?? ''} failed in a worker thread, so it cannot run ${label}`,
          cause,
        ),
      };
  }
}

/** A late error a worker reported, as a warning that says what raised it. */
export function lateWarning(carried: Carried): TaskFailedError {
  return new TaskFailedError(
    'A task raised an uncaught exception or unhandled rejection after it had returned; it was not blamed on another task, and its worker thread is replaced after its current task (after its next one when it was idle)',
    { cause: restore(carried) },
  );
}

/** Why a task cannot run: a worker thread of the pool failed before its dispatcher loaded. */
export function cannotStart(failure: unknown, label: string): WorkerInitError {
  const why = failure instanceof Error ? failure.message : describeValue(failure);
  return new WorkerInitError(
    `The pool's worker threads cannot start (${why}), so it cannot run ${label}; every call fails the same way. Check what each thread inherits: the pool's \`resourceLimits\` and the process's \`execArgv\` (\`--import\`, \`--require\`)`,
    { cause: failure },
  );
}

/** What a worker stopped without running, as a warning; `when` says which stop it was. */
export function droppedWarning(pending: readonly string[], when: string): WorkDroppedError {
  const counts = new Map<string, number>();
  for (const kind of pending) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  // Node's resource names (`Timeout`) are counted; the pool's own descriptions are not.
  const listed = [...counts]
    .map(([kind, count]) => (/^[A-Z]\w*$/.test(kind) ? `${count} ${kind}` : kind))
    .join(', ');
  return new WorkDroppedError(
    `${when}, with work its tasks had left scheduled still pending (${listed}): that work was dropped. Await it inside the task, or give the pool a longer \`closeTimeout\``,
    pending,
  );
}

/** Maps a piscina rejection to the pool error of that fault. */
export function fromRejection(error: unknown, facts: TaskFacts): Error {
  const { label } = facts;
  const cause = { cause: error };
  const message = error instanceof Error ? error.message : '';
  if (facts.terminating) {
    return new PoolClosedError(`The pool was terminated before ${label} finished`);
  }
  if (error instanceof Error && error.name === 'AbortError') {
    if (facts.signal?.aborted) {
      return new TaskAbortedError(`${label} was aborted`, { cause: facts.signal.reason });
    }
    if (facts.timedOut) {
      return new TaskTimeoutError(
        `${label} ran longer than its timeout of ${facts.timeout} ms; its worker thread was stopped and replaced`,
        facts.timeout,
      );
    }
  }
  if (error instanceof Error && error.name === 'DataCloneError') {
    return new UncloneableError(
      `Cannot send the arguments of ${label} to a worker thread: ${describeArguments(facts) ?? 'an argument'} cannot be structured-cloned`,
      cause,
    );
  }
  if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new WorkerOutOfMemoryError(
      `The worker thread running ${label} ran out of memory (its resourceLimits); the worker was replaced`,
      cause,
    );
  }
  const exit = /^worker exited with code: (-?\d+)$/.exec(message);
  if (exit !== null) {
    const exitCode = Number(exit[1]);
    return new WorkerExitError(
      `The worker thread running ${label} exited with code ${exitCode}; the worker was replaced`,
      exitCode,
      cause,
    );
  }
  // Structured clone runs an argument's getters: one that throws fails the send with its own
  // error, not a DataCloneError. Only when cloning the arguments fails here too is it that.
  const argument = describeArguments(facts);
  if (argument !== undefined) {
    return new UncloneableError(
      `Cannot send the arguments of ${label} to a worker thread: ${argument} cannot be structured-cloned`,
      cause,
    );
  }
  return new TaskFailedError(`The worker thread running ${label} failed`, cause);
}

/**
 * Names the first argument that structured clone refuses: "argument 1 of item 3 (a function
 * `f`)", or `undefined` when every argument clones.
 */
function describeArguments({ items, spread, offset, moved }: TaskFacts): string | undefined {
  for (const [item, given] of items.entries()) {
    const args = spread ? (given as readonly unknown[]) : [given];
    for (const [position, value] of args.entries()) {
      // A moved buffer is detached now and a port refuses a copy: neither stopped the send.
      if (movesWith(value, moved)) continue;
      try {
        structuredClone(value);
      } catch {
        // Found it: the clone error itself is already the cause of the error being built.
        const where = items.length > 1 || offset > 0 ? ` of item ${offset + item}` : '';
        return `argument ${position}${where} (${describeUncloneable(value)})`;
      }
    }
  }
  return undefined;
}
