/**
 * The worker's step, the same for every engine: open the payload, resolve its reference under
 * the worker's policy (exactly as `fromReference` does), call the function inside a job context
 * and store the outcome.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnyFunction } from '../identity.js';
import { fromReference } from '../reference/from-reference.js';
import { JobResultError } from './errors.js';
import { jsonIssue } from './json-data.js';
import type { Security } from './options.js';
import { openPayload } from './payload.js';
import { type StoredOutcome, storeError, storeValue } from './result.js';

/**
 * What a running task can learn about its job through {@link currentJob}: which job it is, the
 * attempt, a signal that aborts when the job is cancelled or times out, and a way to report
 * progress where the engine has one.
 */
export interface JobContext {
  /** The job's id in its engine. */
  readonly id: string;
  /** The queue's name. */
  readonly queue: string;
  /** 1 for the first run, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** Aborts when the engine cancels the job or its time is up. */
  readonly signal: AbortSignal;
  /**
   * Reports progress: BullMQ's `job.updateProgress`. On pg-boss, which has no progress, it
   * resolves without storing anything.
   */
  progress(value: number | object): Promise<void>;
}

/** What a binding knows about a job when it hands it to {@link runJob}. */
export interface JobFacts extends JobContext {
  readonly data: unknown;
}

/** A worker's settings: its security, and whether implementations must match their digests. */
export interface WorkerSetup extends Security {
  readonly verifyIntegrity: boolean;
}

/** The outcome of one job, and whether the job was refused before its function was called. */
export interface RunOutcome {
  readonly stored: StoredOutcome;
  /** the function was never called: the payload, its signature or its reference was refused */
  readonly refused: boolean;
  /** what the task threw (or the refusal), for the engine's own failure reporting */
  readonly thrown?: unknown;
}

const storage = new AsyncLocalStorage<JobContext>();

/**
 * The job the calling task is running for, or `undefined` outside a job.
 *
 * @returns the job's context: `id`, `queue`, `attempt`, `signal`, `progress()`
 * @example
 * ```ts
 * export async function resize(path: string) {
 *   const job = currentJob();
 *   await job?.progress(50);
 *   if (job?.signal.aborted) return;
 * }
 * ```
 */
export function currentJob(): JobContext | undefined {
  return storage.getStore();
}

/** Describes a job for messages: "job 42 on `resize`". */
export function jobLabel(id: string, queue: string): string {
  return `job ${id} on \`${queue}\``;
}

/** Opens, resolves and runs one job; never throws: every failure becomes a stored envelope. */
export async function runJob(facts: JobFacts, setup: WorkerSetup): Promise<RunOutcome> {
  let fn: AnyFunction;
  let args: unknown[];
  let qualname: string;
  try {
    const opened = openPayload(facts.data, setup, jobLabel(facts.id, facts.queue));
    args = opened.args;
    qualname = opened.ref.qualname;
    fn = await fromReference(opened.ref, setup.resolving);
  } catch (error) {
    return { stored: storeError(error), refused: true, thrown: error };
  }
  const { data: _data, ...context } = facts;
  try {
    const value: unknown = await storage.run(context, () => fn(...args));
    if (value === undefined) return { stored: storeValue(undefined), refused: false };
    const issue = jsonIssue(value, 'result');
    if (issue !== undefined) {
      throw new JobResultError(
        `The result of \`${qualname}\` (${jobLabel(facts.id, facts.queue)}) is not JSON data: ${issue}; return plain data`,
      );
    }
    return { stored: storeValue(JSON.stringify(value)), refused: false };
  } catch (error) {
    return { stored: storeError(error), refused: false, thrown: error };
  }
}
