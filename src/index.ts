/**
 * selfsame: decorators that keep a wrapped function the same function.
 *
 * This entry is the isomorphic core: it imports no `node:` module and never loads the pool.
 *
 * @packageDocumentation
 */

export { createDecorator } from './decorator/create-decorator.js';
export type {
  AnyClass,
  ConfiguredDecorator,
  DecorationContext,
  Decorator,
  DecoratorKind,
  DecoratorMode,
  DecoratorSettings,
  MemberContext,
  WrapperFactory,
} from './decorator/types.js';
export {
  DecoratorPositionError,
  DecoratorUsageError,
  IntegrityError,
  NotReferenceableError,
  ReferenceFormatError,
  ReferenceIdentityError,
  ReferencePolicyError,
  ReferenceResolveError,
  SelfsameError,
  type SelfsameErrorCode,
  SignatureError,
  UnwrapLoopError,
  WrapperPropertyError,
} from './errors.js';
export {
  type AnyFunction,
  defineIdentity,
  type Identity,
  type IdentityInit,
  type ImportMetaLike,
  identityOf,
} from './identity.js';
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
export {
  type UnwrapOptions,
  unwrap,
  updateWrapper,
  WRAPPER_ASSIGNMENTS,
  WRAPPER_UPDATES,
  type WrapOptions,
  type WrapperAssignment,
  type WrapperUpdate,
  wraps,
} from './wraps.js';
