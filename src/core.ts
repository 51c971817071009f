/**
 * selfsame's small entry, `selfsame/core`: identities, `wraps` and `createDecorator`, without
 * references or timing. A module that only registers functions or builds decorators (a pool's
 * task module, say) loads about half the files of `selfsame` here; both entries share the same
 * modules, so mixing them is safe.
 *
 * @example
 * ```ts
 * import { defineIdentity } from 'selfsame/core';
 * export const double = defineIdentity((x: number) => x * 2, { qualname: 'double', module: import.meta });
 * ```
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
// The identity names (defineIdentity, identityOf and their types), listed in identity-entry.ts.
export * from './identity-entry.js';
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
