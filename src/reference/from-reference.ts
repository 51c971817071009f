/**
 * `fromReference`: turns a reference back into its function, refusing anything the policy does
 * not allow before a single module is imported.
 */

import {
  IntegrityError,
  ReferenceIdentityError,
  ReferencePolicyError,
  ReferenceResolveError,
  SignatureError,
} from '../errors.js';
import type { AnyFunction } from '../identity.js';
import { ownName } from '../internal/describe.js';
import { MODULE_KEY, QUALNAME_KEY } from '../internal/keys.js';
import { ownData } from '../internal/own-data.js';
import { decodeArguments } from './bound-arguments.js';
import { digestOf, isNative } from './digest.js';
import { findExport } from './find-export.js';
import {
  checkFields,
  type FunctionReference,
  label,
  REFERENCE_VERSION,
  readFields,
} from './format.js';
import { loadNamespace } from './load-module.js';
import {
  belongsToPackage,
  classifyModuleId,
  locateModule,
  type ModuleTarget,
} from './module-id.js';
import { type Policy, type ReferenceOptions, toPolicy } from './options.js';
import { partial } from './partial.js';
import { recordReceiver, recordReceiverOf } from './receiver.js';
import { verify } from './signature.js';
import { DENIED_SEGMENTS, thenHazard, walk } from './walk.js';

/** A reference already resolved under one policy: re-walked on every hit, never trusted stale. */
interface Resolved {
  readonly module: string;
  readonly qualname: string;
  readonly digest: string;
  readonly signature: string | undefined;
  readonly namespace: object;
  readonly segments: readonly string[];
  readonly fn: AnyFunction;
  /** The keys this reference's signature was verified with, by value (`Policy.keyId`). */
  readonly verifiedKeys: Set<string>;
}

// Policy (root, packages, verifyIntegrity) -> digest -> the resolutions of references with it.
const resolved = new Map<string, Map<string, Resolved[]>>();
const MAX_CACHED = 10_000;

/**
 * Resolves a function reference made by {@link toReference}: checks its shape, its module id
 * against the policy and its signature (when a key is given) before importing anything, then
 * walks own data properties of the module to the function and checks that it is the function
 * referenced.
 *
 * @param ref - the reference, as received (for example from `JSON.parse` or a message)
 * @param options - the policy: `root`, `packages`, `key`, `verifyIntegrity`
 * @returns the function the reference names
 * @throws {@link ReferenceFormatError} when `ref` is not a well-formed version 1 reference
 * @throws {@link ReferencePolicyError} when its module or qualname is not allowed
 * @throws {@link SignatureError} when a key is given and the signature is missing or wrong
 * @throws {@link ReferenceResolveError} when the module fails to load or the name is not there
 * @throws {@link ReferenceIdentityError} when the name holds something else (an alias, a
 *   non-function, a native or bound function)
 * @throws {@link IntegrityError} when the implementation changed, unless `verifyIntegrity: false`
 * @throws TypeError when `options` is malformed
 *
 * The function itself is returned, never a bound copy, so that identity holds. A static method
 * that uses `this` (as Python's classmethod uses `cls`) must be called on its class:
 * `Reflect.apply(fn, Jobs, args)` or `fn.call(Jobs, ...)`; the pool does this for you.
 * @example
 * ```ts
 * const resize = await fromReference<(path: string) => Promise<void>>(JSON.parse(message));
 * await resize('photo.jpg');
 * ```
 */
export async function fromReference<F extends AnyFunction = AnyFunction>(
  ref: unknown,
  options?: ReferenceOptions,
): Promise<F> {
  const policy = toPolicy(options);
  const fields = readFields(ref);
  const { v, module, qualname, digest, signature, args } = fields;
  if (
    args === undefined &&
    v === REFERENCE_VERSION &&
    typeof module === 'string' &&
    typeof qualname === 'string' &&
    typeof digest === 'string' &&
    (signature === undefined || typeof signature === 'string')
  ) {
    // A hit means these very strings passed every check under this policy before.
    const hit = cached(policy, module, qualname, digest, signature);
    if (hit !== undefined) return hit as F;
  }
  const reference = checkFields(fields);
  const where = label(reference.module, reference.qualname);
  const segments = reference.qualname.split('.');
  const denied = segments.find((segment) => DENIED_SEGMENTS.includes(segment));
  if (denied !== undefined) {
    throw new ReferencePolicyError(`Refused ${where}: the segment \`${denied}\` is never walked`);
  }
  const target = classifyModuleId(reference.module, policy, where);
  if (policy.key !== undefined) checkSignature(reference, policy.key, where);

  const found = await resolve(reference, target, policy, where);
  if (reference.args !== undefined) {
    // Never cached: the cache compares the fields that name the function, not the arguments.
    const rebuilt = partial(found.fn, ...decodeArguments(reference.args, where));
    recordReceiverOf(rebuilt, found.fn);
    return rebuilt as F;
  }
  if (policy.keyId !== undefined) found.verifiedKeys.add(policy.keyId);
  remember(policy.resolutionId, found);
  return found.fn as F;
}

/**
 * The function a reference with these very fields resolved to before under this policy, when
 * its signature was verified with this key and its name still holds it.
 */
function cached(
  policy: Policy,
  module: string,
  qualname: string,
  digest: string,
  signature: string | undefined,
): AnyFunction | undefined {
  const entries = resolved.get(policy.resolutionId)?.get(digest);
  if (entries === undefined) return undefined;
  for (const entry of entries) {
    if (entry.module !== module || entry.qualname !== qualname || entry.signature !== signature) {
      continue;
    }
    if (policy.keyId !== undefined && !entry.verifiedKeys.has(policy.keyId)) return undefined;
    // Walked again, so that a name rebound since is resolved (and checked) afresh.
    const again = walk(entry.namespace, entry.segments);
    return again.ok && again.value === entry.fn ? entry.fn : undefined;
  }
  return undefined;
}

/** Caches a resolution under its policy and digest, replacing an entry for the same fields. */
function remember(resolutionId: string, found: Resolved): void {
  let byDigest = resolved.get(resolutionId);
  if (byDigest === undefined) {
    byDigest = new Map();
    resolved.set(resolutionId, byDigest);
  }
  if (byDigest.size >= MAX_CACHED) byDigest.clear();
  const same = (entry: Resolved) =>
    entry.module === found.module &&
    entry.qualname === found.qualname &&
    entry.signature === found.signature;
  const entries = (byDigest.get(found.digest) ?? []).filter((entry) => !same(entry));
  byDigest.set(found.digest, [...entries, found]);
}

function checkSignature(
  reference: FunctionReference,
  key: string | Uint8Array,
  where: string,
): void {
  if (reference.signature === undefined) {
    throw new SignatureError(`Refused ${where}: a key is given but the reference is not signed`);
  }
  if (!verify(reference, reference.signature, key)) {
    throw new SignatureError(`Refused ${where}: the signature does not verify with the given key`);
  }
}

async function resolve(
  reference: FunctionReference,
  target: ModuleTarget,
  policy: Policy,
  where: string,
): Promise<Resolved> {
  const moduleUrl = locateModule(target, policy, where);
  const { namespace } = await loadNamespace(moduleUrl, where);
  const segments = reference.qualname.split('.');
  const step = walk(namespace, segments);
  if (!step.ok) {
    const reasons = {
      missing: 'is not an own property',
      accessor: 'is an accessor (getters are never run)',
      proxy: 'is reached through a Proxy (its traps are never run)',
      primitive: 'is looked up on a primitive value',
      uninitialized: 'is not initialised (a circular import that has not finished evaluating)',
    } as const;
    throw new ReferenceResolveError(
      `Cannot resolve ${where}: \`${step.at}\` ${reasons[step.reason]}`,
      step.reason === 'uninitialized' ? { cause: step.cause } : undefined,
    );
  }
  const fn = step.value;
  if (typeof fn !== 'function') {
    throw new ReferenceIdentityError(`Refused ${where}: the name holds no function`);
  }
  if (isNative(fn)) {
    throw new ReferenceIdentityError(
      `Refused ${where}: the name holds a native or bound function, which has no digest`,
    );
  }
  // `fromReference` settles its promise with the function: a `then` on it would be called.
  const hazard = thenHazard(fn);
  if (hazard === 'then') {
    throw new ReferenceIdentityError(
      `Refused ${where}: the function found has a \`then\`, which settling a promise with it would call`,
    );
  }
  if (hazard === 'proxy') {
    throw new ReferenceIdentityError(
      `Refused ${where}: the function found has a Proxy in its prototype chain, whose traps settling a promise with it would run`,
    );
  }
  checkIdentity(fn, namespace, reference, moduleUrl, target, where);
  if (policy.verifyIntegrity) {
    const actual = digestOf(fn);
    if (actual === undefined) {
      throw new ReferenceIdentityError(
        `Refused ${where}: the function found wraps a Proxy, whose traps are never run, so its digest cannot be computed`,
      );
    }
    if (actual !== reference.digest) {
      throw new IntegrityError(
        `Refused ${where}: the implementation differs from the one referenced (digest ${actual} instead of ${reference.digest}); to run it anyway, resolve it with \`fromReference(ref, { verifyIntegrity: false })\` (a \`Pool\` always verifies: its workers must load the code the reference was made from)`,
        reference.digest,
        actual,
      );
    }
  }
  recordReceiver(fn, namespace, segments);
  const { module, qualname, digest, signature } = reference;
  return {
    module,
    qualname,
    digest,
    signature,
    namespace,
    segments,
    fn: fn as AnyFunction,
    verifiedKeys: new Set(),
  };
}

/**
 * The reference must name the function by its one path: its recorded qualname (or its name)
 * when that leads to it, else the first path the search of the exports finds, as
 * `toReference` names it; any other path holding it is an alias. Its recorded module, if any,
 * must be the module imported.
 */
function checkIdentity(
  fn: Function,
  namespace: object,
  reference: FunctionReference,
  moduleUrl: string,
  target: ModuleTarget,
  where: string,
): void {
  const qualname = ownData(fn, QUALNAME_KEY);
  const own = typeof qualname === 'string' ? qualname : ownName(fn);
  if (own !== reference.qualname) {
    const found = findExport(fn, namespace, own);
    if (found?.segments.join('.') !== reference.qualname) {
      throw new ReferenceIdentityError(
        `Refused ${where}: the function found is \`${own || '<anonymous>'}\`, not \`${reference.qualname}\` (an alias or a rebinding)`,
      );
    }
  }
  const module = ownData(fn, MODULE_KEY);
  if (
    typeof module === 'string' &&
    module !== moduleUrl &&
    module !== reference.module &&
    !(target.kind === 'package' && belongsToPackage(module, target.name))
  ) {
    throw new ReferenceIdentityError(
      `Refused ${where}: the function found was defined in \`${module}\`, not in that module`,
    );
  }
}
