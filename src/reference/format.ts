/**
 * The wire format of a function reference: a small, versioned, JSON-safe object. Parsing is
 * strict and runs no code of the value it reads: no getters, no Proxy traps, no `toString`.
 */
import { ReferenceFormatError } from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { MAX_WALKABLE_LENGTH, MAX_WALKABLE_SEGMENTS, walkableProblem } from '../qualname.js';
import { type EncodedArgument, readEncodedArguments } from './bound-arguments.js';
import { util } from './node.js';

/**
 * A function by reference, version 1: which module, which name in it, and a digest of the
 * implementation that was referenced. JSON-safe, and safe to `postMessage`.
 */
export interface FunctionReference {
  /** The format version, always `1`. */
  readonly v: 1;
  /** A `./`-relative POSIX path from the root (`./jobs/resize.js`) or a package specifier. */
  readonly module: string;
  /** The dotted path of the function in its module (`resize`, `Jobs.resize`). */
  readonly qualname: string;
  /** `sha256:` and 64 hex digits: the digest of the implementation, wrappers included. */
  readonly digest: string;
  /** `hmac-sha256:` and 64 hex digits, present when the reference was signed with a key. */
  readonly signature?: string;
  /**
   * The arguments a {@link partial} binds, present only in a reference to a partial: each in
   * the JSON-safe form of structured-clone data (see `bound-arguments.ts`). The signature
   * covers them.
   */
  readonly args?: readonly EncodedArgument[];
}

/** The only version this build reads and writes. */
export const REFERENCE_VERSION = 1;

export const MAX_MODULE_ID_LENGTH = 1024;

const KEYS: readonly string[] = ['v', 'module', 'qualname', 'digest', 'signature', 'args'];
const DIGEST_SHAPE = /^sha256:[0-9a-f]{64}$/;
const SIGNATURE_SHAPE = /^hmac-sha256:[0-9a-f]{64}$/;
// One printable-ASCII token: a look-alike letter from another script cannot pass for an ASCII one.
const MODULE_TEXT = /^[!-~]+$/;

/**
 * How messages name a reference, before or after it is known to be well formed. Text that is
 * not one printable ASCII token is shown escaped, so that a message never carries raw control
 * characters or look-alike letters from its input.
 */
export function label(module: unknown, qualname: unknown): string {
  return `the reference to \`${shown(qualname, 80)}\` in \`${shown(module, 120)}\``;
}

function shown(value: unknown, max: number): string {
  if (typeof value !== 'string') return '?';
  const text = value.length > max ? `${value.slice(0, max - 3)}...` : value;
  return MODULE_TEXT.test(text)
    ? text
    : JSON.stringify(text).replace(
        /[^ -~]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
}

/** A reference's fields as read, before their shapes are checked. */
export interface Fields {
  readonly v: unknown;
  readonly module: unknown;
  readonly qualname: unknown;
  readonly digest: unknown;
  readonly signature: unknown;
  readonly args: unknown;
}

/**
 * Reads the fields of a plain, non-Proxy object that has only the known keys, each a data
 * property; says nothing yet about their values.
 */
export function readFields(value: unknown): Fields {
  // First of all: describing a Proxy, or even asking whether it is an array, runs its traps or
  // throws for a revoked one.
  if (util().types.isProxy(value)) {
    throw new ReferenceFormatError('Refused a function reference that is a Proxy');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReferenceFormatError(
      `Expected a function reference object ({ v, module, qualname, digest }), got ${describeValue(value)}`,
    );
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new ReferenceFormatError(
      'Expected a function reference to be a plain object (as JSON.parse or structuredClone make)',
    );
  }
  let v: unknown;
  let module: unknown;
  let qualname: unknown;
  let digest: unknown;
  let signature: unknown;
  let args: unknown;
  // String keys only: a symbol-keyed property is never read, and JSON and structured clone
  // cannot carry one; `Reflect.ownKeys` would cost more than the rest of a cached resolution.
  const keys = Object.getOwnPropertyNames(value);
  for (const key of keys) {
    const descriptor = KEYS.includes(key) ? Object.getOwnPropertyDescriptor(value, key) : undefined;
    if (descriptor === undefined) {
      throw new ReferenceFormatError(
        `Unexpected key \`${JSON.stringify(key).slice(0, 60)}\` in a function reference; expected only ${KEYS.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
    if (!('value' in descriptor)) {
      throw new ReferenceFormatError(
        `Expected \`${String(key)}\` of a function reference to be a data property, got an accessor`,
      );
    }
    if (key === 'v') v = descriptor.value;
    else if (key === 'module') module = descriptor.value;
    else if (key === 'qualname') qualname = descriptor.value;
    else if (key === 'digest') digest = descriptor.value;
    else if (key === 'signature') signature = descriptor.value;
    else args = descriptor.value;
  }
  return { v, module, qualname, digest, signature, args };
}

/** Checks each field's shape and returns the frozen reference. */
export function checkFields(fields: Fields): FunctionReference {
  const { v, module, qualname, digest, signature, args } = fields;
  const where = label(module, qualname);
  if (v !== REFERENCE_VERSION) {
    throw new ReferenceFormatError(
      `Unsupported version in ${where}: expected \`v: 1\`, got ${describeValue(v)}`,
    );
  }
  if (
    typeof module !== 'string' ||
    module.length > MAX_MODULE_ID_LENGTH ||
    !MODULE_TEXT.test(module)
  ) {
    throw new ReferenceFormatError(
      `Malformed module id in ${where}: expected printable ASCII without spaces, at most ${MAX_MODULE_ID_LENGTH} characters, got ${describeValue(module)}`,
    );
  }
  const problem = typeof qualname === 'string' ? walkableProblem(qualname) : 'it is not a string';
  if (typeof qualname !== 'string' || problem !== undefined) {
    throw new ReferenceFormatError(
      `Malformed qualname in ${where}: expected at most ${MAX_WALKABLE_SEGMENTS} dot-separated ASCII identifiers, at most ${MAX_WALKABLE_LENGTH} characters, got ${describeValue(qualname)}: ${problem}`,
    );
  }
  if (typeof digest !== 'string' || !DIGEST_SHAPE.test(digest)) {
    throw new ReferenceFormatError(
      `Malformed digest in ${where}: expected \`sha256:\` and 64 lowercase hex digits, got ${describeValue(digest)}`,
    );
  }
  if (
    signature !== undefined &&
    (typeof signature !== 'string' || !SIGNATURE_SHAPE.test(signature))
  ) {
    throw new ReferenceFormatError(
      `Malformed signature in ${where}: expected \`hmac-sha256:\` and 64 lowercase hex digits, got ${describeValue(signature)}`,
    );
  }
  return makeReference(
    module,
    qualname,
    digest,
    signature,
    args === undefined ? undefined : readEncodedArguments(args, where),
  );
}

/** Builds a frozen reference, leaving `signature` and `args` out when there are none. */
export function makeReference(
  module: string,
  qualname: string,
  digest: string,
  signature: string | undefined,
  args?: readonly EncodedArgument[],
): FunctionReference {
  const reference: { -readonly [K in keyof FunctionReference]: FunctionReference[K] } = {
    v: REFERENCE_VERSION,
    module,
    qualname,
    digest,
  };
  if (signature !== undefined) reference.signature = signature;
  if (args !== undefined) reference.args = args;
  return Object.freeze(reference);
}

/** The canonical bytes a signature covers: every field but the signature, in a fixed order. */
export function canonicalEncoding(reference: FunctionReference): string {
  const fields: unknown[] = [reference.v, reference.module, reference.qualname, reference.digest];
  // Only a partial's reference has `args`: the encoding of every other reference is unchanged.
  if (reference.args !== undefined) fields.push(reference.args);
  return JSON.stringify(fields);
}
