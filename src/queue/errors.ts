/**
 * The errors of `selfsame/queue`, each with a stable `code`. A task's own error, and a worker's
 * refusal (`SignatureError`, `IntegrityError`, ...), reach the producer rebuilt with their class
 * and code; these are the queue's own failures.
 *
 * @packageDocumentation
 */
import { SelfsameError } from '../errors.js';

/**
 * A producer or worker was set up without a signing key, and without opting out for this queue
 * by name (`unsigned: 'queue-name'`).
 *
 * @example
 * ```ts
 * await pgBossWorker(boss, 'resize', {}); // QueueKeyError: give `key`, or `unsigned: 'resize'`
 * ```
 */
export class QueueKeyError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_QUEUE_KEY', message);
  }
}

/**
 * A job's data is not a selfsame job payload: a worker refuses it before reading its reference,
 * so nothing is imported.
 *
 * @example
 * ```ts
 * await handle.result(); // JobPayloadError: Refused job 7 on `resize`: its data is not a selfsame job ...
 * ```
 */
export class JobPayloadError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_JOB_PAYLOAD', message);
  }
}

/**
 * A task's result is not JSON data (a `Date`, a `Map`, a `BigInt`, a cycle...), so it cannot be
 * stored by the engine as it is; the job fails with this error instead of storing a changed value.
 *
 * @example
 * ```ts
 * await handle.result(); // JobResultError: The result of `stamp` (./tasks.js) is not JSON data: ...
 * ```
 */
export class JobResultError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_JOB_RESULT', message);
  }
}

/**
 * `handle.result()` waited longer than its `timeout`: the job is still queued or running, and
 * may yet finish; nothing was cancelled.
 *
 * @example
 * ```ts
 * await handle.result({ timeout: 1000 }); // ResultTimeoutError after one second
 * ```
 */
export class ResultTimeoutError extends SelfsameError {
  /** The job's id in its engine. */
  readonly jobId: string;
  /** @param message - the full message @param jobId - the job's id */
  constructor(message: string, jobId: string) {
    super('ERR_SELFSAME_RESULT_TIMEOUT', message);
    this.jobId = jobId;
  }
}

/**
 * The job ended without an outcome written by a selfsame worker: it was cancelled or removed in
 * the engine, expired by it (pg-boss fails a job whose handler outlived `expireInSeconds`), or
 * finished by someone else's code. The engine's own words, where there are any, are the message.
 *
 * @example
 * ```ts
 * await boss.cancel('resize', handle.id);
 * await handle.result(); // JobOutcomeError: Job ... on `resize` ended as `cancelled` ...
 * ```
 */
export class JobOutcomeError extends SelfsameError {
  /** The job's id in its engine. */
  readonly jobId: string;
  /** The job's final state in its engine (`cancelled`, `failed`, `missing`...). */
  readonly state: string;
  /** @param message - the full message @param jobId - the job's id @param state - its state */
  constructor(message: string, jobId: string, state: string) {
    super('ERR_SELFSAME_JOB_OUTCOME', message);
    this.jobId = jobId;
    this.state = state;
  }
}

/**
 * A pg-boss job ran out of its `expireInSeconds`: the worker failed it (pg-boss retries it
 * while retries are left) and aborted the task's `currentJob().signal`; whatever the task
 * returns afterwards is not stored.
 *
 * @example
 * ```ts
 * await handle.result(); // JobExpiredError: Job ... on `resize` ran out of its 60 s (expireInSeconds)
 * ```
 */
export class JobExpiredError extends SelfsameError {
  /** The job's limit, in seconds. */
  readonly expireInSeconds: number;
  /** @param message - the full message @param expireInSeconds - the job's limit */
  constructor(message: string, expireInSeconds: number) {
    super('ERR_SELFSAME_JOB_EXPIRED', message);
    this.expireInSeconds = expireInSeconds;
  }
}
