/**
 * Error classes by reference, as pickle sends exceptions: a worker names the class of an error
 * it throws by reference (`toReference`, under the pool's policy and with its proof), and the
 * pool resolves that reference (`fromReference`) and rebuilds the error as an instance of the
 * real class, so that `instanceof` holds on the caller's side. A class that cannot be
 * referenced (declared inside a function, in a module outside the policy) or whose reference is
 * refused on the caller's side is rebuilt as a look-alike: an `Error` subclass of the same name.
 * {@link errorRebuild} says which happened, and why.
 *
 * Only thrown errors travel this way: any other object, including an instance of a class, is
 * structured-clone data and arrives as a plain object.
 *
 * @packageDocumentation
 */
import { ownConstructor } from '../internal/own-data.js';
import { fromReference } from '../reference/from-reference.js';
import type { ReferenceOptions } from '../reference/options.js';
import type { Carried, ErrorEnvelope } from './protocol.js';

/**
 * How the pool rebuilt an error thrown in a worker whose class is neither built in nor one of
 * selfsame's:
 * - `'class'`: as an instance of the worker's own class, found again by reference
 *   (`error instanceof ThatClass` is `true`);
 * - `'look-alike'`: as an instance of an `Error` subclass of the same name; `reason` says why the
 *   class could not travel (the refusal of `toReference` in the worker, or of `fromReference`
 *   on the caller's side).
 *
 * @example
 * ```ts
 * const rebuild = errorRebuild(error);
 * if (rebuild?.as === 'look-alike') console.warn(rebuild.reason);
 * ```
 */
export type ErrorRebuild =
  | {
      /** rebuilt as an instance of the real class */
      readonly as: 'class';
      /** the name of the error's class in the worker */
      readonly className: string;
    }
  | {
      /** rebuilt as an `Error` subclass of the same name */
      readonly as: 'look-alike';
      /** the name of the error's class in the worker */
      readonly className: string;
      /** why the class could not travel by reference */
      readonly reason: string;
    };

/** The class of each envelope a worker made, until the failure is sent. */
const classes = new WeakMap<ErrorEnvelope, Function>();
/** The class each envelope's reference resolved to on the caller's side, or why it did not. */
const resolved = new WeakMap<ErrorEnvelope, Function | string>();
/** How each rebuilt error was rebuilt: a side table, never a property added to the error. */
const rebuilds = new WeakMap<object, ErrorRebuild>();

/**
 * How the pool rebuilt an error that a task threw in a worker, when its class is a user's own.
 *
 * @param error - an error received from {@link Pool} (any value is accepted)
 * @returns `{ as: 'class' }` when it is an instance of the real class, `{ as: 'look-alike',
 *   reason }` when it is an instance of a class of the same name, `undefined` for any other value
 *   (an error not from a worker, or of a built-in or selfsame class, which is always itself)
 * @example
 * ```ts
 * try { await pool.apply(parse, [text]); } catch (error) {
 *   errorRebuild(error); // { as: 'class', className: 'ParseError' }
 * }
 * ```
 */
export function errorRebuild(error: unknown): ErrorRebuild | undefined {
  return typeof error === 'object' && error !== null ? rebuilds.get(error) : undefined;
}

/** Worker side: remembers the class of an error taken apart, to be referenced before sending. */
export function rememberClass(envelope: ErrorEnvelope, thrown: object): void {
  const prototype = Object.getPrototypeOf(thrown) as object | null;
  const Class = prototype === null ? undefined : ownConstructor(prototype);
  if (Class !== undefined) classes.set(envelope, Class);
}

/** Whether a carried value holds an error whose class should travel by reference. */
export function hasUserClass(carried: Carried): boolean {
  return envelopesOf(carried).some((envelope) => classes.has(envelope));
}

/**
 * Worker side: the same carried value with each user class named by reference (`classRef`, as
 * JSON text), or with the reason it cannot be (`classRefusal`).
 */
export async function referenceClasses(
  carried: Carried,
  policy: ReferenceOptions,
): Promise<Carried> {
  if (!('error' in carried)) return carried;
  const envelope = carried.error;
  const Class = classes.get(envelope);
  let named: Pick<ErrorEnvelope, 'classRef' | 'classRefusal'> = {};
  if (Class !== undefined) {
    try {
      // Loaded on this failure path only: a worker otherwise never needs toReference's graph.
      const { toReference } = await import('../reference/to-reference.js');
      named = { classRef: JSON.stringify(await toReference(Class, policy)) };
    } catch (error) {
      named = { classRefusal: messageOf(error) };
    }
  }
  return {
    error: {
      ...envelope,
      ...named,
      ...(envelope.cause === undefined
        ? {}
        : { cause: await referenceClasses(envelope.cause, policy) }),
      ...(envelope.errors === undefined
        ? {}
        : {
            errors: await Promise.all(
              envelope.errors.map((inner) => referenceClasses(inner, policy)),
            ),
          }),
    },
  };
}

/** Caller side: whether a carried value names a class by reference, so there is work to do. */
export function namesClasses(carried: Carried): boolean {
  return envelopesOf(carried).some((envelope) => envelope.classRef !== undefined);
}

/** Caller side: resolves every class reference of a carried value, before it is restored. */
export async function resolveClasses(carried: Carried, policy: ReferenceOptions): Promise<void> {
  await Promise.all(
    envelopesOf(carried).map(async (envelope) => {
      if (envelope.classRef === undefined) return;
      try {
        const Class: Function = await fromReference(JSON.parse(envelope.classRef), policy);
        resolved.set(
          envelope,
          typeof Class.prototype === 'object' && Class.prototype instanceof Error
            ? Class
            : `\`${envelope.className}\` resolved to a function whose instances are not errors`,
        );
      } catch (error) {
        resolved.set(envelope, messageOf(error));
      }
    }),
  );
}

/** Caller side: the real class to rebuild an envelope as, when its reference was resolved. */
export function referencedClass(envelope: ErrorEnvelope): Function | undefined {
  const found = resolved.get(envelope);
  return typeof found === 'function' ? found : undefined;
}

/** Caller side: records how an error of a user's class was rebuilt. */
export function noteRebuild(
  error: Error,
  envelope: ErrorEnvelope,
  Class: Function | undefined,
): void {
  const { className } = envelope;
  if (Class !== undefined) {
    rebuilds.set(error, { as: 'class', className });
    return;
  }
  const refusal = resolved.get(envelope);
  const reason =
    typeof refusal === 'string'
      ? `its reference was refused on the caller's side: ${refusal}`
      : envelope.classRefusal === undefined
        ? 'the worker did not name its class'
        : `its class cannot be referenced: ${envelope.classRefusal}`;
  rebuilds.set(error, { as: 'look-alike', className, reason });
}

function envelopesOf(carried: Carried, found: ErrorEnvelope[] = []): ErrorEnvelope[] {
  if (!('error' in carried)) return found;
  found.push(carried.error);
  if (carried.error.cause !== undefined) envelopesOf(carried.error.cause, found);
  for (const inner of carried.error.errors ?? []) envelopesOf(inner, found);
  return found;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
