/**
 * A job's outcome as the engine stores it: the result as JSON text, or the error envelope of
 * the pool (class, message, stack, code, cause) as JSON data. The producer turns it back into
 * the value, or into an error of the same class.
 */
import * as coreErrors from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { carry, restoreError } from '../pool/envelope.js';
import type { ErrorEnvelope } from '../pool/protocol.js';
import * as queueErrors from './errors.js';

/** What a worker stores as a job's outcome. */
export type StoredOutcome =
  | { readonly selfsame: 1; readonly value?: string }
  | { readonly selfsame: 1; readonly error: ErrorEnvelope };

/** The queue's error classes, rebuilt as themselves (the pool's envelope knows its own). */
const QUEUE_CLASSES = new Map<string, Function>(
  Object.values(queueErrors).map((Class) => [Class.name, Class]),
);

/** Stores a successful result; `undefined` is kept as the absence of `value`. */
export function storeValue(json: string | undefined): StoredOutcome {
  return json === undefined ? { selfsame: 1 } : { selfsame: 1, value: json };
}

/**
 * Stores a thrown value as an envelope of JSON data: a property JSON cannot hold (a `BigInt`,
 * a function) is replaced by a description of itself, as the pool does for structured clone.
 */
export function storeError(thrown: unknown): StoredOutcome & { readonly error: ErrorEnvelope } {
  const carried = carry(thrown);
  const envelope: ErrorEnvelope =
    'error' in carried
      ? carried.error
      : {
          name: 'Error',
          className: 'Error',
          known: true,
          message: `A non-error value was thrown: ${describeValue(carried.value)}`,
          stack: undefined,
          props: { thrown: carried.value },
        };
  const json = JSON.stringify(envelope, (_key, value: unknown) =>
    typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol'
      ? `[not JSON: ${describeValue(value)}]`
      : value,
  );
  return { selfsame: 1, error: JSON.parse(json) as ErrorEnvelope };
}

/** Whether `value` is an outcome stored by a selfsame worker. */
export function isStoredOutcome(value: unknown): value is StoredOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = value as Record<string, unknown>;
  return (
    outcome.selfsame === 1 &&
    (typeof outcome.value === 'string' ||
      (outcome.value === undefined && outcome.error === undefined) ||
      (typeof outcome.error === 'object' && outcome.error !== null))
  );
}

/**
 * Turns a stored outcome back into the task's value, or throws its error rebuilt with its
 * class (built-in, selfsame core, pool and queue errors), `code`, `cause` and stack.
 */
export function settle(outcome: StoredOutcome): unknown {
  if ('error' in outcome) throw restoreJobError(outcome.error);
  return outcome.value === undefined ? undefined : JSON.parse(outcome.value);
}

function restoreJobError(envelope: ErrorEnvelope): Error {
  const error = restoreError(envelope);
  const Class = QUEUE_CLASSES.get(envelope.className);
  // The pool's envelope does not know the queue's classes: one of them arrives as a class of
  // the same name, and is given its real prototype here.
  if (Class !== undefined && !(error instanceof coreErrors.SelfsameError)) {
    Object.setPrototypeOf(error, Class.prototype);
    // The stand-in class needed an own `name`; the real class names itself.
    Reflect.deleteProperty(error, 'name');
  }
  return error;
}
