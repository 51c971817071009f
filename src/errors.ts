/**
 * Every failure selfsame reports on purpose is a {@link SelfsameError} with a stable `code`.
 * Argument mistakes are plain `TypeError` / `RangeError`, as in the platform itself.
 *
 * @packageDocumentation
 */

/**
 * The stable codes of selfsame's errors, one per failure.
 * Match on `error.code`, never on the message: messages may gain detail, codes never change.
 */
export type SelfsameErrorCode =
  | 'ERR_SELFSAME_WRAPPER_PROPERTY'
  | 'ERR_SELFSAME_UNWRAP_LOOP'
  | 'ERR_SELFSAME_DECORATOR_POSITION'
  | 'ERR_SELFSAME_DECORATOR_USAGE'
  | 'ERR_SELFSAME_NOT_REFERENCEABLE'
  | 'ERR_SELFSAME_REFERENCE_FORMAT'
  | 'ERR_SELFSAME_REFERENCE_POLICY'
  | 'ERR_SELFSAME_REFERENCE_RESOLVE'
  | 'ERR_SELFSAME_REFERENCE_IDENTITY'
  | 'ERR_SELFSAME_INTEGRITY'
  | 'ERR_SELFSAME_SIGNATURE'
  | 'ERR_SELFSAME_POOL_CLOSED'
  | 'ERR_SELFSAME_TASK_FAILED'
  | 'ERR_SELFSAME_WORKER_EXIT'
  | 'ERR_SELFSAME_WORKER_OUT_OF_MEMORY'
  | 'ERR_SELFSAME_TASK_TIMEOUT'
  | 'ERR_SELFSAME_TASK_ABORTED'
  | 'ERR_SELFSAME_UNCLONEABLE'
  | 'ERR_SELFSAME_WORKER_INIT'
  | 'ERR_SELFSAME_UNGUARDED_MODULE'
  | 'ERR_SELFSAME_WORK_DROPPED'
  | 'ERR_SELFSAME_NOT_IN_TASK'
  | 'ERR_SELFSAME_TIMELINE_FORMAT'
  | 'ERR_SELFSAME_QUEUE_KEY'
  | 'ERR_SELFSAME_JOB_PAYLOAD'
  | 'ERR_SELFSAME_JOB_RESULT'
  | 'ERR_SELFSAME_RESULT_TIMEOUT'
  | 'ERR_SELFSAME_JOB_OUTCOME'
  | 'ERR_SELFSAME_JOB_EXPIRED';

/**
 * The base class of every error selfsame throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   await toReference(fn);
 * } catch (error) {
 *   if (error instanceof SelfsameError) console.error(error.code, error.message);
 * }
 * ```
 */
export class SelfsameError extends Error {
  /** The stable code of this failure. */
  readonly code: SelfsameErrorCode;

  /**
   * @param code - the stable code of the failure
   * @param message - what failed, naming the function by qualname and module where known
   * @param options - `cause`: the underlying failure, kept as is
   */
  constructor(code: SelfsameErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /**
   * The subclass's own name (`'IntegrityError'`, `'PoolClosedError'`, ...), so that stack traces
   * and `console.error` show which failure it is without every subclass repeating it.
   */
  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * A property could not be copied onto a wrapper, because the wrapper's own property is not
 * configurable (for example a frozen wrapper) or the wrapper is not extensible.
 */
export class WrapperPropertyError extends SelfsameError {
  /** The property that could not be copied. */
  readonly key: PropertyKey;
  /** @param key - the property @param message - the full message */
  constructor(key: PropertyKey, message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_WRAPPER_PROPERTY', message, options);
    this.key = key;
  }
}

/** `unwrap` met the same function twice while following the wrapped chain. */
export class UnwrapLoopError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_UNWRAP_LOOP', message);
  }
}

/** A decorator was applied where it cannot work (a field, a parameter, an unsupported kind). */
export class DecoratorPositionError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_DECORATOR_POSITION', message);
  }
}

/** A decorator was called with arguments that match none of its call shapes. */
export class DecoratorUsageError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_DECORATOR_USAGE', message);
  }
}

/** `toReference` refused a function that cannot be found again by module and qualname. */
export class NotReferenceableError extends SelfsameError {
  /** @param message - the full message @param options - `cause` */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_NOT_REFERENCEABLE', message, options);
  }
}

/** A value given to `fromReference` is not a well-formed reference of a known version. */
export class ReferenceFormatError extends SelfsameError {
  /** @param message - the full message @param options - `cause`: the underlying failure */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_REFERENCE_FORMAT', message, options);
  }
}

/** A reference names a module or a path that the resolution policy does not allow. */
export class ReferencePolicyError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_REFERENCE_POLICY', message);
  }
}

/** A reference passed policy but could not be resolved: the module failed or the name is missing. */
export class ReferenceResolveError extends SelfsameError {
  /** @param message - the full message @param options - `cause` */
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_REFERENCE_RESOLVE', message, options);
  }
}

/** The function found under a reference's name is not the function the reference describes. */
export class ReferenceIdentityError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_REFERENCE_IDENTITY', message);
  }
}

/** The implementation found under a reference's name differs from the one that was referenced. */
export class IntegrityError extends SelfsameError {
  /** The digest the reference carries. */
  readonly expected: string;
  /** The digest of the implementation found now. */
  readonly actual: string;
  /** @param message - the full message @param expected - the reference's digest @param actual - the found digest */
  constructor(message: string, expected: string, actual: string) {
    super('ERR_SELFSAME_INTEGRITY', message);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A reference's signature is missing, malformed or does not verify with the given key. */
export class SignatureError extends SelfsameError {
  /** @param message - the full message */
  constructor(message: string) {
    super('ERR_SELFSAME_SIGNATURE', message);
  }
}

/** A timeline file (a `records.json`) is not JSON, or not a timeline, or has a malformed record. */
export class TimelineFormatError extends SelfsameError {
  /** Where in the file the problem is, such as `records[3].start`; `$` for the whole file. */
  readonly path: string;
  /** @param message - the full message @param path - where @param options - `cause` */
  constructor(message: string, path: string, options?: ErrorOptions) {
    super('ERR_SELFSAME_TIMELINE_FORMAT', message, options);
    this.path = path;
  }
}
