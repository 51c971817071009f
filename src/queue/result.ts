/**
 * A job's outcome as the engine stores it: the result as JSON text, or the error envelope of
 * the pool (class, message, stack, code, cause) as JSON data. The producer turns it back into
 * the value, or into an error of the same class.
 */
import { describeValue } from '../internal/describe.js';
import { carry, knowErrorClasses, restoreError } from '../pool/envelope.js';
import type { ErrorEnvelope } from '../pool/protocol.js';
import * as queueErrors from './errors.js';

/** What a worker stores as a job's outcome. */
export type StoredOutcome =
  | { readonly selfsame: 1; readonly value?: string }
  | { readonly selfsame: 1; readonly error: ErrorEnvelope };

// The queue's error classes travel as themselves, known by prototype like selfsame's others: a
// user's class that only shares a name (`JobPayloadError`) stays the user's.
knowErrorClasses(Object.values(queueErrors));

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
  if ('error' in outcome) throw restoreError(outcome.error);
  return outcome.value === undefined ? undefined : JSON.parse(outcome.value);
}
