/**
 * `selfsame/pool`: run functions on worker threads by reference, like Python's
 * `multiprocessing.Pool`. Node only; importing `selfsame` never loads this entry.
 *
 * @packageDocumentation
 */
export { type ErrorRebuild, errorRebuild } from './error-classes.js';
export {
  PoolClosedError,
  TaskAbortedError,
  TaskFailedError,
  TaskTimeoutError,
  UncloneableError,
  UnguardedModuleError,
  WorkDroppedError,
  WorkerExitError,
  WorkerInitError,
  WorkerOutOfMemoryError,
} from './errors.js';
export type { Source } from './input.js';
export type { ApplyOptions, MapOptions, PoolOptions, TaskEvent } from './options.js';
export { Pool } from './pool.js';
export { NotInTaskError, type TaskContext, taskContext } from './task-context.js';
export { type Transferable, transfer } from './transfer.js';
