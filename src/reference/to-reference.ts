/**
 * `toReference`: names a function by module and qualname, after proving that the name leads
 * back to the very same function, as pickle does before it promises anything.
 */
import { NotReferenceableError } from '../errors.js';
import type { AnyFunction } from '../identity.js';
import { isModuleEvaluating } from '../internal/call-site.js';
import { checkFunction } from '../internal/check.js';
import { ownName } from '../internal/describe.js';
import { MODULE_KEY, QUALNAME_KEY } from '../internal/keys.js';
import { ownData } from '../internal/own-data.js';
import { walkableProblem } from '../qualname.js';
import { digestOf, isNative, wrappedChain } from './digest.js';
import { enclosingExport } from './enclosing-export.js';
import { type FunctionReference, label, makeReference } from './format.js';
import { hasLoaded, type Loaded, loadNamespace } from './load-module.js';
import { locate } from './locate.js';
import { classifyModuleId, locateModule, moduleIdsOf } from './module-id.js';
import { type Policy, type ReferenceOptions, toPolicy } from './options.js';
import { sign } from './signature.js';
import { DENIED_SEGMENTS, type WalkResult, walk } from './walk.js';

/** A proven reference, unsigned, and the policy it was proven under. */
interface Proof {
  readonly policyId: string;
  readonly reference: FunctionReference;
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
 * The proof is cached per function.
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
 *   a local, anonymous, bound or native function, an instance method, a function not exported
 *   or exported under another name, or a module outside the root and the listed packages; and,
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
  let proof = proofs.get(fn);
  if (proof === undefined || proof.policyId !== policy.id) {
    proof = { policyId: policy.id, reference: await prove(fn, policy) };
    proofs.set(fn, proof);
  }
  const { reference } = proof;
  return policy.key === undefined
    ? reference
    : makeReference(
        reference.module,
        reference.qualname,
        reference.digest,
        sign(reference, policy.key),
      );
}

async function prove(fn: Function, policy: Policy): Promise<FunctionReference> {
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
  if ('then' in fn) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname || 'an anonymous function'}: it has a \`then\`, which \`fromReference\` settling its promise with it would call`,
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
  const innermost = wrappedChain(fn).at(-1) as Function;
  const recordedModule = ownData(fn, MODULE_KEY);
  const moduleUrl =
    typeof recordedModule === 'string' ? recordedModule : definedIn(innermost, qualname);

  const ids = moduleIdsOf(moduleUrl, policy);
  if (ids.length === 0) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: its module \`${moduleUrl}\` lies neither under the root \`${policy.root}\` nor in a package listed in \`options.packages\``,
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
  let attempt: Attempt | undefined;
  for (const id of ids) {
    attempt = await attemptModule(
      fn,
      id,
      qualname,
      typeof recordedQualname === 'string',
      policy,
      evaluating,
    );
    if (attempt.step.ok && attempt.step.value === fn) break;
  }
  const { id, namespace, segments, step } = attempt as Attempt;
  if (!step.ok) {
    const method = instanceMethodOwner(fn, namespace, segments);
    if (method !== undefined) {
      throw new NotReferenceableError(
        `Can't serialize ${qualname}: it's an instance method of ${method}; reference a static method or an exported function that takes the instance's data`,
      );
    }
    const local =
      typeof recordedModule === 'string' ? undefined : enclosingExport(innermost, namespace);
    if (local !== undefined) {
      throw new NotReferenceableError(
        `Can't serialize local object '${local}.<locals>.${qualname}'`,
      );
    }
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: it's not found as ${id}.${qualname}`,
    );
  }
  if (step.value !== fn) {
    throw new NotReferenceableError(
      `Can't serialize ${qualname}: it's not the same object as ${id}.${qualname}`,
    );
  }
  return makeReference(id, segments.join('.'), digestOf(fn), undefined);
}

/** One module id tried: its namespace, and where the walk of the qualname led. */
interface Attempt {
  readonly id: string;
  readonly namespace: object;
  readonly segments: readonly string[];
  readonly step: WalkResult;
}

/**
 * Takes the very path `fromReference` takes (the module id through policy, the import, the
 * walk), and, when nothing recorded the qualname, looks for `name` one level down as well: a
 * static method of an exported class.
 */
async function attemptModule(
  fn: Function,
  id: string,
  qualname: string,
  recorded: boolean,
  policy: Policy,
  evaluating: string | undefined,
): Promise<Attempt> {
  const where = label(id, qualname);
  let loaded: Loaded | undefined;
  try {
    const moduleUrl = locateModule(classifyModuleId(id, policy, where), policy, where);
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
  const segments = qualname.split('.');
  const step = walk(namespace, segments);
  if (!step.ok && !recorded) {
    const owner = staticMethodOwner(fn, namespace, qualname);
    if (owner !== undefined) {
      return {
        id,
        namespace,
        segments: [owner, qualname],
        step: walk(namespace, [owner, qualname]),
      };
    }
  }
  return { id, namespace, segments, step };
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

/** The export that holds `fn` as its own data property `name` (a static method), if any. */
function staticMethodOwner(fn: Function, namespace: object, name: string): string | undefined {
  if (name.includes('.')) return undefined;
  return Object.keys(namespace).find((owner) => {
    const found = walk(namespace, [owner, name]);
    return found.ok && found.value === fn;
  });
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
