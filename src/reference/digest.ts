/**
 * The digest of an implementation: SHA-256 over the source of every function in the wrapped
 * chain, outermost first. Every wrapper one decorator makes prints the same source, so the
 * chain, not the outermost function, is what tells two decorated functions apart.
 */
import { UnwrapLoopError } from '../errors.js';
import { ownName } from '../internal/describe.js';
import { wrappedOf } from '../internal/own-data.js';
import { crypto } from './node.js';

const sourceOf = Function.prototype.toString;
const digests = new WeakMap<Function, string>();

/** `sha256:` and the hex digest of `fn`'s wrapped chain, cached per function. */
export function digestOf(fn: Function): string {
  const cached = digests.get(fn);
  if (cached !== undefined) return cached;
  const hash = crypto().createHash('sha256');
  for (const link of wrappedChain(fn)) {
    // `Function.prototype.toString` itself, because a wrapper may override `toString` to show
    // another body (mimic-function does), and because calling an own `toString` runs user code.
    const source = sourceOf.call(link);
    hash.update(`${source.length}:${source}\n`);
  }
  const digest = `sha256:${hash.digest('hex')}`;
  digests.set(fn, digest);
  return digest;
}

/** `fn` and every function it wraps, outermost first, read from own data slots only. */
export function wrappedChain(fn: Function): Function[] {
  const chain = [fn];
  let current = fn;
  for (;;) {
    const next = wrappedOf(current);
    if (next === undefined) return chain;
    if (chain.includes(next)) {
      throw new UnwrapLoopError(
        `Wrapper loop when unwrapping function \`${ownName(fn) || '<anonymous>'}\``,
      );
    }
    chain.push(next);
    current = next;
  }
}

/** Whether `fn` is native or bound: its source is `[native code]`, so no digest can tell. */
export function isNative(fn: Function): boolean {
  return /\{\s*\[native code\]\s*\}$/.test(sourceOf.call(fn));
}
