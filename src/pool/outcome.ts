/**
 * Turns what comes back from a worker into a task's outcome: a response's values and failure,
 * or a piscina rejection (an exit, out of memory, an abort, a termination) mapped to the pool
 * error with its own code.
 *
 * @internal
 * @packageDocumentation
 */
import { describeValue } from '../internal/describe.js';
import { describeUncloneable, restore } from './envelope.js';
import {
  PoolClosedError,
  TaskAbortedError,
  TaskFailedError,
  TaskTimeoutError,
  UncloneableError,
  WorkerExitError,
  WorkerInitError,
  WorkerOutOfMemoryError,
} from './errors.js';
import type { Carried, TaskReport } from './protocol.js';

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
  readonly timeoutSignal: AbortSignal | undefined;
  readonly timeout: number;
  readonly terminating: boolean;
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

/** The late errors a response reports, as warnings that name what raised them. */
export function lateWarnings(late: readonly Carried[]): TaskFailedError[] {
  return late.map(
    (carried) =>
      new TaskFailedError(
        'A task raised an uncaught exception or unhandled rejection after it had returned; it was not blamed on another task, and its worker thread was replaced',
        { cause: restore(carried) },
      ),
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
    if (facts.timeoutSignal?.aborted) {
      return new TaskTimeoutError(
        `${label} ran longer than its timeout of ${facts.timeout} ms; its worker thread was stopped and replaced`,
        facts.timeout,
      );
    }
  }
  if (error instanceof Error && error.name === 'DataCloneError') {
    return new UncloneableError(
      `Cannot send the arguments of ${label} to a worker thread: ${describeArguments(facts)} cannot be structured-cloned`,
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
  return new TaskFailedError(`The worker thread running ${label} failed`, cause);
}

/** Names the first argument that structured clone refuses: "argument 1 of item 3 (a function `f`)". */
function describeArguments({ items, spread, offset }: TaskFacts): string {
  for (const [item, given] of items.entries()) {
    const args = spread ? (given as readonly unknown[]) : [given];
    for (const [position, value] of args.entries()) {
      try {
        structuredClone(value);
      } catch {
        // Found it: the clone error itself is already the cause of the error being built.
        const where = items.length > 1 || offset > 0 ? ` of item ${offset + item}` : '';
        return `argument ${position}${where} (${describeUncloneable(value)})`;
      }
    }
  }
  return 'an argument';
}
