/**
 * `toReference`: names a function by module and qualname, after proving that the name leads
 * back to the very same function, as pickle does before it promises anything.
 */
import { NotReferenceableError, ReferencePolicyError, ReferenceResolveError } from '../errors.js';
import type { AnyFunction } from '../identity.js';
import { isModuleEvaluating } from '../internal/call-site.js';
import { checkFunction } from '../internal/check.js';
import { ownName } from '../internal/describe.js';
import { MODULE_KEY, QUALNAME_KEY } from '../internal/keys.js';
import { ownData } from '../internal/own-data.js';
import { walkableProblem } from '../qualname.js';
import { type EncodedArgument, encodeArguments, UnencodableArgument } from './bound-arguments.js';
import { digestOf, isNative, wrappedChain } from './digest.js';
import { localQualname } from './enclosing-export.js';
import { type Found, type FoundBy, findExport } from './find-export.js';
import { type FunctionReference, label, makeReference } from './format.js';
import { hasLoaded, type Loaded, loadNamespace } from './load-module.js';
import { closureNames, locate } from './locate.js';
import { classifyModuleId, locateModule, moduleIdsOf } from './module-id.js';
import { util } from './node.js';
import { type Policy, type ReferenceOptions, toPolicy } from './options.js';
import { type PartialParts, partialOf } from './partial.js';
import { recordReceiver } from './receiver.js';
import { sign } from './signature.js';
import { DENIED_SEGMENTS, thenHazard, type WalkResult, walk } from './walk.js';

/**
 * A proven reference, unsigned, the policy it was proven under, and the path that proved it:
 * walked again at every call, as pickle checks identity at every dump. Beside it the last signed
 * copy, with the id of the key's value it was signed under (`Policy.keyId`: the policy copies a
 * byte key, so a key changed in place has a new id).
 */
interface Proof {
  readonly policyId: string;
  readonly reference: FunctionReference;
  readonly namespace: object;
  readonly segments: readonly string[];
  /** Whether the qualname led to the function, or the search of the exports found it. */
  readonly by: FoundBy;
  signed?: { readonly keyId: string; readonly reference: FunctionReference };
}

const proofs = new WeakMap<Function, Proof>();

/**
 * How long an import of a module that is evaluating on the caller's stack may stay pending, once
 * the caller's synchronous work is done, before the proof concludes that a top-level `await`
 * waits for it. A module without one finishes first and the import then settles (measured on
 * Node 20: about 5 ms later, with or without an off-thread loader hook), so the grace is
 * generous; its price is only how late the diagnosis comes.
 */
const EVALUATING_GRACE_MS = 1000;

/**
 * Makes a reference to `fn` that {@link fromReference} resolves to this very function,
 * and proves it first: imports the module, walks the qualname and requires the same object.
 * The proof is cached per function, and every later call walks its path again, so that a name
 * rebound since is refused (pickle's `it's not the same object as ...`). A function whose name
 * does not lead to it is looked for by the object itself among the exports and their static
 * members (a bundler's `countWords2` exported as `countWords`). For a {@link partial}, the
 * reference is its function's, with the bound arguments as data in `args`.
 *
 * The module comes from `fn`'s recorded identity (`defineIdentity(fn, { module: import.meta })`
 * or a selfsame decorator applied at a module's top level); for a function nobody registered,
 * from where V8 says the innermost function of its wrapped chain was defined.
 *
 * @param fn - an exported function, a static method of an exported class, or a wrapper of one
 *   that carries its identity (made with `wraps`)
 * @param options - `root` and `packages` decide the module id; `key` signs the reference
 * @returns a frozen, JSON-safe {@link FunctionReference}
 * @throws {@link NotReferenceableError} when `fn` cannot be found again by module and qualname:
 *   a local (named as pickle names it, `naive.<locals>.wrapper`), anonymous, bound or native
 *   function, a Proxy, an instance method, a function no path of its module holds, a module
 *   outside the root and the listed packages, or a partial binding data structured clone
 *   cannot carry; and,
 *   after a grace of one second, when the call is awaited by a top-level `await` of the very
 *   module it must import, which could never finish evaluating
 * @throws TypeError when `fn` is not a function or `options` is malformed
 * @example
 * ```ts
 * export const resize = defineIdentity(async function resize(path: string) {}, { module: import.meta });
 * const message = JSON.stringify(await toReference(resize)); // {"v":1,"module":"./jobs.js","qualname":"resize",...}
 * ```
 */
export async function toReference(
  fn: AnyFunction | Function,
  options?: ReferenceOptions,
): Promise<FunctionReference> {
  checkFunction(fn, 'fn');
  const policy = toPolicy(options);
  // The common call, a function proven before whose path still holds, awaits nothing more; a
  // partial never has a proof of its own.
  const cached = proofs.get(fn);
  const parts = cached === undefined ? partialOf(fn) : undefined;
  if (parts !== undefined) {
    const reference = await provenPartial(parts, policy);
    if (policy.key === undefined) return reference;
    const { module, qualname, digest, args } = reference;
    return makeReference(module, qualname, digest, sign(reference, policy.key), args);
  }
  const proof =
    cached !== undefined && cached.policyId === policy.id && stillHolds(cached, fn)
      ? cached
      : await proven(fn, policy);
  const { key, keyId } = policy;
  if (key === undefined || keyId === undefined) return proof.reference;
  // An HMAC costs about 30 times a cached call: it is computed again only when the key's value
  // differs from the one it was made with, so that a key changed in place (or another key of the
  // same bytes) is never served a stale signature.
  if (proof.signed === undefined || proof.signed.keyId !== keyId) {
    const { reference } = proof;
    proof.signed = {
      keyId,
      reference: makeReference(
        reference.module,
        reference.qualname,
        reference.digest,
        sign(reference, key),
      ),
    };
  }
  return proof.signed.reference;
}

/** The proof of `fn`, made now or at an earlier call whose path still holds. */
async function proven(fn: Function, policy: Policy): Promise<Proof> {
  let proof = proofs.get(fn);
  if (proof === undefined || proof.policyId !== policy.id || !stillHolds(proof, fn)) {
    // A name rebound since the proof is proven afresh, which names the rebinding when the
    // function is no longer found.
    proofs.delete(fn);
    proof = { policyId: policy.id, ...(await prove(fn, policy)) };
    proofs.set(fn, proof);
  }
  return proof;
}

/**
 * A partial's reference: its function's, with the bound arguments as data. They are encoded
 * at every call, because the caller may have changed them since.
 */
async function provenPartial(parts: PartialParts, policy: Policy): Promise<FunctionReference> {
  const base = (await proven(parts.fn, policy)).reference;
  let args: EncodedArgument[];
  try {
    args = encodeArguments(parts.args);
  } catch (error) {
    if (!(error instanceof UnencodableArgument)) throw error;
    throw new NotReferenceableError(
      `Can't serialize partial ${base.qualname}: its bound ${error.message}; bind only structured-clone data (primitives, plain objects, arrays, Date, RegExp, Map, Set, typed arrays), or pass the rest as arguments`,
    );
  }
  return makeReference(base.module, base.qualname, base.digest, undefined, args);
}

/**
 * How the qualname of `fn`'s last proof was found: `'qualname'` when its recorded qualname (or
 * its name) led to it, `'search'` when the exports were searched for the very object.
 */
export function foundBy(fn: Function): FoundBy | undefined {
  return proofs.get(fn)?.by;
}

/** Whether the proof's path still leads to `fn`: the namespace is loaded, so a few reads. */
function stillHolds(proof: Proof, fn: Function): boolean {
  const again = walk(proof.namespace, proof.segments);
  return again.ok && again.value === fn;
}

async function prove(fn: Function, policy: Policy): Promise<Omit<Proof, 'policyId'>> {
  if (util().types.isProxy(fn)) {
    throw new NotReferenceableError(
      "Can't serialize a Proxy: its traps are never run; reference the function it stands for",
    );
  }
  const name = ownName(fn);
  if (name.startsWith('bound ') && isNative(fn)) {
    throw new NotReferenceableError(
      `Can't serialize bound function \`${name}\`: reference the function it binds, and pass the bound values as arguments`,
    );
  }
  if (isNative(fn)) {
    throw new NotReferenceableError(
      `Can't serialize native function \`${name || '<anonymous>'}\`: it has no module to import`,
    );
  }
  const recordedQualname = ownData(fn, QUALNAME_KEY);
  const qualname = typeof recordedQualname === 'string' ? recordedQualname : name;
  const hazard = thenHazard(fn);
  if (hazard === 'then') {
    throw new NotReferenceableError(
      `Can't serialize ${qualname || 'an anonymous function'}: it has a \`then\`, which \`fromReference\` settling its promise with it would call`,
    );
  }
  if (hazard === 'proxy') {
    throw new NotReferenceableError(
      `Can't serialize ${qualname || 'an anonymous function'}: it has a Proxy in its prototype chain, whose traps \`fromReference\` settling its promise with it would run`,
    );
  }
  if (qualname === '') {
    throw new NotReferenceableError(
      `Can't serialize an anonymous function: name it (a function declaration or \`const name = ...\`) and export it`,
    );
  }
  if (qualname.split('.').includes('<locals>')) {
    throw new NotReferenceableError(`Can't serialize local object '${qualname}'`);
  }

  // The chain's innermost function is the one whose identity a wrapper made by `wraps` carries.
  const chain = wrappedChain(fn);
  if (chain.proxy) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: it wraps a Proxy, whose traps are never run, so its digest cannot be computed; wrap the function itself`,
    );
  }
  const innermost = chain.links.at(-1) as Function;
  const recordedModule = ownData(fn, MODULE_KEY);
  const moduleUrl =
    typeof recordedModule === 'string' ? recordedModule : definedIn(innermost, qualname);

  const ids = moduleIdsOf(moduleUrl, policy);
  if (ids.length === 0) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: its module \`${moduleUrl}\` lies neither under the root \`${policy.root}\` nor in a package listed in \`options.packages\`; set \`options.root\` to a directory that holds it, or list its package`,
    );
  }
  const problem = walkableProblem(qualname);
  if (problem !== undefined) {
    throw new NotReferenceableError(`Can't serialize ${qualname}: ${problem}`);
  }
  const denied = qualname.split('.').find((segment) => DENIED_SEGMENTS.includes(segment));
  if (denied !== undefined) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: its segment \`${denied}\` is never walked (a reference walks none of ${DENIED_SEGMENTS.join(', ')})`,
    );
  }
  // Read before the first `await`, while the caller's frames are still the stack; a module
  // imported here before has finished evaluating, and its proofs skip reading the stack.
  const evaluating =
    hasLoaded(moduleUrl) || !isModuleEvaluating(moduleUrl, toReference) ? undefined : moduleUrl;
  const subject: Subject = {
    fn,
    qualname,
    local: typeof recordedModule === 'string' ? undefined : innermost,
  };
  let attempt: Attempt | undefined;
  for (const id of ids) {
    attempt = await attemptModule(subject, id, policy, evaluating);
    if (attempt.found !== undefined) break;
  }
  const { id, namespace, found, step } = attempt as Attempt;
  if (found === undefined) {
    const method = instanceMethodOwner(fn, namespace, qualname.split('.'));
    if (method !== undefined) {
      throw new NotReferenceableError(
        `Can't serialize ${qualname}: it's an instance method of ${method}; reference a static method or an exported function that takes the instance's data`,
      );
    }
    if (attempt?.local !== undefined) {
      throw new NotReferenceableError(`Can't serialize local object '${attempt.local}'`);
    }
    throw new NotReferenceableError(
      step.ok
        ? `Can't serialize ${qualname}: it's not the same object as ${id}.${qualname}`
        : `Can't serialize ${qualname}: it's not found as ${id}.${qualname}; export it from \`${id}\``,
    );
  }
  const { segments } = found;
  recordReceiver(fn, namespace, segments);
  // The chain was checked above to hold no Proxy, so the digest exists.
  return {
    reference: makeReference(id, segments.join('.'), digestOf(fn) as string, undefined),
    namespace,
    segments,
    by: found.by,
  };
}

/** The function a proof is about, as each module id is tried. */
interface Subject {
  readonly fn: Function;
  /** Its recorded qualname, or its name. */
  readonly qualname: string;
  /**
   * The function whose definition site says whether `fn` is a local object (the innermost of
   * its wrapped chain), or `undefined` when a recorded module is trusted instead.
   */
  readonly local: Function | undefined;
}

/** One module id tried: its namespace, where the qualname led, and where `fn` was found. */
interface Attempt {
  readonly id: string;
  readonly namespace: object;
  /** The walk of the qualname itself. */
  readonly step: WalkResult;
  readonly found: Found | undefined;
  /** The local object's pickle-style qualname, when `fn` is not found and is one. */
  readonly local?: string | undefined;
}

/**
 * Takes the very path `fromReference` takes (the module id through policy, the import, the
 * walk). When the qualname does not lead to the function, a local object is named as such
 * (pickle's rule: it was defined inside a function, so no export can be its home); anything
 * else is looked for by the object itself, through the exports and their static members.
 */
async function attemptModule(
  subject: Subject,
  id: string,
  policy: Policy,
  evaluating: string | undefined,
): Promise<Attempt> {
  const { fn, qualname } = subject;
  const where = label(id, qualname);
  let moduleUrl: string;
  try {
    moduleUrl = locateModule(classifyModuleId(id, policy, where), policy, where);
  } catch (error) {
    throw refusedModule(qualname, id, where, error);
  }
  let loaded: Loaded | undefined;
  try {
    const loading = loadNamespace(moduleUrl, where);
    loaded =
      moduleUrl === evaluating ? await settledWithin(loading, EVALUATING_GRACE_MS) : await loading;
  } catch (error) {
    throw new NotReferenceableError(`Can't serialize ${qualname}: importing ${id} failed`, {
      cause: error,
    });
  }
  if (loaded === undefined) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: its module ${id} is still evaluating (a top-level \`await\` in it is waiting for this call), so it can never be imported; call \`main()\` without \`await\`, guarded by \`if (isMainModule(import.meta))\``,
    );
  }
  const { namespace } = loaded;
  const step = walk(namespace, qualname.split('.'));
  if (step.ok && step.value === fn) {
    return { id, namespace, step, found: { segments: qualname.split('.'), by: 'qualname' } };
  }
  if (instanceMethodOwner(fn, namespace, qualname.split('.')) !== undefined) {
    return { id, namespace, step, found: undefined };
  }
  // As pickle: a name that holds another object is a rebinding, whatever `fn` was defined in.
  const definedIn = step.ok ? undefined : subject.local;
  const name = qualname.slice(qualname.lastIndexOf('.') + 1);
  // V8's closures first: a function that closes over another's variables is surely a local.
  const closures = definedIn === undefined ? [] : closureNames(definedIn);
  if (closures.length > 0) {
    const local = localQualname(definedIn as Function, name, namespace, closures);
    return { id, namespace, step, found: undefined, local };
  }
  const found = findExport(fn, namespace, qualname);
  // Else the source text, once no export holds it: a static method lies inside its class's text.
  const local =
    found !== undefined || definedIn === undefined
      ? undefined
      : localQualname(definedIn, name, namespace, []);
  return { id, namespace, step, found, local };
}

/**
 * Why the module id of a function is refused, said as a serialization failure: the policy's
 * rule and the way out. Nothing was imported.
 */
function refusedModule(
  qualname: string,
  id: string,
  where: string,
  error: unknown,
): NotReferenceableError {
  if (!(error instanceof ReferencePolicyError || error instanceof ReferenceResolveError)) {
    return new NotReferenceableError(`Can't serialize ${qualname}: locating ${id} failed`, {
      cause: error,
    });
  }
  const prefix =
    error instanceof ReferencePolicyError ? `Refused ${where}: ` : `Cannot resolve ${where}: `;
  const rule = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  const wayOut = /\.[cm]?ts$/.test(id)
    ? "; the module is TypeScript, which a worker thread or another process cannot import without a loader: run it under tsx (`tsx main.ts`, `node --import tsx`, or `NODE_OPTIONS='--import tsx'` for vitest; a pool gives its workers the same loader, and `new Pool({ loader: 'tsx' })` where tsx was registered by its API), run it on Node 22.18+ or 24, whose type stripping reaches worker threads, or compile it and run the JavaScript"
    : error instanceof ReferencePolicyError && rule.startsWith('a module path may hold only')
      ? '; rename the file or its folders under the root'
      : '';
  return new NotReferenceableError(
    `Can't serialize ${qualname}: its module id \`${id}\` is refused: ${rule}${wayOut}`,
    { cause: error },
  );
}

/**
 * `loading`'s outcome, or `undefined` when it has not settled within `ms` of the caller's
 * synchronous work ending. The grace starts at the first timer tick, which comes only after the
 * rest of the module body has run, however long that took. The timers are kept referenced on
 * purpose: with nothing else left to do, Node would otherwise end the process with exit code 13
 * (an unsettled top-level `await`) before the diagnosis could be reported.
 */
function settledWithin<T>(loading: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let timer = setTimeout(() => {
      timer = setTimeout(() => resolve(undefined), ms);
    }, 0);
    loading.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The module URL of a function nobody registered, from V8's record of where it was defined. */
function definedIn(fn: Function, qualname: string): string {
  let location: ReturnType<typeof locate>;
  try {
    location = locate(fn);
  } catch (error) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: its module is unknown and node:inspector could not tell where it was defined; record it with \`defineIdentity(fn, { module: import.meta })\``,
      { cause: error },
    );
  }
  if (location === undefined || !location.url.startsWith('file:')) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: its module is unknown (defined in eval or a data: URL?); record it with \`defineIdentity(fn, { module: import.meta })\``,
    );
  }
  return location.url;
}

/** `Class` when `fn` is found on an exported class's prototype under the qualname's last name. */
function instanceMethodOwner(
  fn: Function,
  namespace: object,
  segments: readonly string[],
): string | undefined {
  const last = segments.at(-1) as string;
  const owners = segments.length > 1 ? [segments.slice(0, -1).join('.')] : Object.keys(namespace);
  for (const owner of owners) {
    const found = walk(namespace, [...owner.split('.'), 'prototype', last]);
    if (found.ok && found.value === fn) return owner;
  }
  return undefined;
}
