/**
 * selfsame: decorators that keep a wrapped function the same function.
 *
 * This entry is the isomorphic core: it imports no `node:` module and never loads the pool.
 *
 * @packageDocumentation
 */

// The core's public names (identities, wraps, createDecorator, errors), listed in core.ts.
export * from './core.js';
export type { EncodedArgument } from './reference/bound-arguments.js';
export type { FunctionReference } from './reference/format.js';
export { fromReference } from './reference/from-reference.js';
export { isMainModule } from './reference/is-main-module.js';
export type { ReferenceOptions } from './reference/options.js';
export { partial } from './reference/partial.js';
export { toReference } from './reference/to-reference.js';
export {
  TRACING_CHANNEL,
  trackExecutionTime,
} from './track-execution-time/track-execution-time.js';
export type {
  ExecutionLogger,
  ExecutionRecord,
  TrackExecutionTimeOptions,
} from './track-execution-time/types.js';
