/**
 * The wire format of a function reference: a small, versioned, JSON-safe object. Parsing is
 * strict and runs no code of the value it reads: no getters, no Proxy traps, no `toString`.
 */
import { ReferenceFormatError } from '../errors.js';
import { describeValue } from '../internal/describe.js';
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
}

/** The only version this build reads and writes. */
export const REFERENCE_VERSION = 1;

export const MAX_MODULE_ID_LENGTH = 1024;
export const MAX_QUALNAME_LENGTH = 256;
export const MAX_QUALNAME_SEGMENTS = 8;

const KEYS: readonly string[] = ['v', 'module', 'qualname', 'digest', 'signature'];
const DIGEST_SHAPE = /^sha256:[0-9a-f]{64}$/;
const SIGNATURE_SHAPE = /^hmac-sha256:[0-9a-f]{64}$/;
// One printable-ASCII token: a look-alike letter from another script cannot pass for an ASCII one.
const MODULE_TEXT = /^[!-~]+$/;
// ASCII identifiers only; private names and `<locals>` markers can never be looked up.
const SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** How messages name a reference, before or after it is known to be well formed. */
export function label(module: unknown, qualname: unknown): string {
  const name = typeof qualname === 'string' ? qualname.slice(0, 80) : '?';
  const from = typeof module === 'string' ? module.slice(0, 120) : '?';
  return `the reference to \`${name}\` in \`${from}\``;
}

/**
 * Checks that `value` is a reference of version 1 with exactly the known keys, each a data
 * property of the right shape, and returns a frozen copy. Proxies are refused before any of
 * their traps can run.
 */
export function parseReference(value: unknown): FunctionReference {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReferenceFormatError(
      `Expected a function reference object ({ v, module, qualname, digest }), got ${describeValue(value)}`,
    );
  }
  if (util().types.isProxy(value)) {
    throw new ReferenceFormatError('Refused a function reference that is a Proxy');
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new ReferenceFormatError(
      'Expected a function reference to be a plain object (as JSON.parse or structuredClone make)',
    );
  }
  const fields: Record<string, unknown> = { __proto__: null } as never;
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string' || !KEYS.includes(key)) {
      throw new ReferenceFormatError(
        `Unexpected key ${typeof key === 'string' ? `\`${JSON.stringify(key).slice(0, 60)}\`` : describeValue(key)} in a function reference; expected only ${KEYS.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor)) {
      throw new ReferenceFormatError(
        `Expected \`${key}\` of a function reference to be a data property, got an accessor`,
      );
    }
    fields[key] = descriptor.value;
  }
  const { v, module, qualname, digest, signature } = fields;
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
  if (typeof qualname !== 'string' || !isQualname(qualname)) {
    throw new ReferenceFormatError(
      `Malformed qualname in ${where}: expected at most ${MAX_QUALNAME_SEGMENTS} dot-separated ASCII identifiers, at most ${MAX_QUALNAME_LENGTH} characters, got ${describeValue(qualname)}`,
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
  return makeReference(module, qualname, digest, signature);
}

/** Whether `qualname` is a walkable dotted path (shape only; the deny list is policy). */
export function isQualname(qualname: string): boolean {
  if (qualname.length === 0 || qualname.length > MAX_QUALNAME_LENGTH) return false;
  const segments = qualname.split('.');
  return segments.length <= MAX_QUALNAME_SEGMENTS && segments.every((s) => SEGMENT.test(s));
}

/** Builds a frozen reference, leaving `signature` out when there is none. */
export function makeReference(
  module: string,
  qualname: string,
  digest: string,
  signature: string | undefined,
): FunctionReference {
  const reference: { -readonly [K in keyof FunctionReference]: FunctionReference[K] } = {
    v: REFERENCE_VERSION,
    module,
    qualname,
    digest,
  };
  if (signature !== undefined) reference.signature = signature;
  return Object.freeze(reference);
}

/** The canonical bytes a signature covers: every field but the signature, in a fixed order. */
export function canonicalEncoding(reference: FunctionReference): string {
  return JSON.stringify([reference.v, reference.module, reference.qualname, reference.digest]);
}
