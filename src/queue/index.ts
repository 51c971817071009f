/**
 * `selfsame/queue`: run functions by reference on other machines, through pg-boss (PostgreSQL)
 * or BullMQ (Redis). Jobs carry a signed reference and JSON arguments; workers resolve them
 * under the same policy as `fromReference`, so nothing outside the allowlist runs. Node only;
 * importing `selfsame`, `selfsame/pool` or this entry loads neither engine.
 *
 * @packageDocumentation
 */
export {
  type BullMQProducer,
  type BullMQQueueOptions,
  type BullMQWorkerOptions,
  bullmqQueue,
  bullmqWorker,
} from './bullmq.js';
export {
  JobExpiredError,
  JobOutcomeError,
  JobPayloadError,
  JobResultError,
  QueueKeyError,
  ResultTimeoutError,
} from './errors.js';
export type { QueueKey, QueueOptions, WorkerSecurityOptions } from './options.js';
export type { JobPayload } from './payload.js';
export {
  type PgBossJob,
  type PgBossJobRecord,
  type PgBossLike,
  type PgBossWorkerOptions,
  pgBossQueue,
  pgBossWorker,
} from './pg-boss.js';
export {
  DEFAULT_RESULT_TIMEOUT,
  type EnqueueOptions,
  type JobHandle,
  type Producer,
  type QueueMapOptions,
  type ResultOptions,
} from './producer.js';
export { currentJob, type JobContext } from './run.js';
export type { QueueWorker } from './worker.js';
