/**
 * The digest of an implementation: SHA-256 over the source of every function in the wrapped
 * chain, outermost first. Every wrapper one decorator makes prints the same source, so the
 * chain, not the outermost function, is what tells two decorated functions apart.
 */
import { UnwrapLoopError } from '../errors.js';
import { ownName } from '../internal/describe.js';
import { wrappedOf } from '../internal/own-data.js';
import { crypto, util } from './node.js';

const sourceOf = Function.prototype.toString;
const digests = new WeakMap<Function, string>();

/**
 * `sha256:` and the hex digest of `fn`'s wrapped chain, cached per function; `undefined` when
 * a link of the chain is a Proxy, whose traps reading its source or its link would run.
 */
export function digestOf(fn: Function): string | undefined {
  const cached = digests.get(fn);
  if (cached !== undefined) return cached;
  const { links, proxy } = wrappedChain(fn);
  if (proxy) return undefined;
  const hash = crypto().createHash('sha256');
  for (const link of links) {
    // `Function.prototype.toString` itself, because a wrapper may override `toString` to show
    // another body (mimic-function does), and because calling an own `toString` runs user code.
    const source = sourceOf.call(link);
    hash.update(`${source.length}:${source}\n`);
  }
  const digest = `sha256:${hash.digest('hex')}`;
  digests.set(fn, digest);
  return digest;
}

/** A wrapped chain as far as it can be read without running code. */
export interface WrappedChain {
  /** `fn` and every function it wraps, outermost first, up to the first Proxy. */
  readonly links: readonly Function[];
  /** Whether the chain goes on into a Proxy, which is never read. */
  readonly proxy: boolean;
}

/**
 * `fn` and every function it wraps, outermost first, read from own data slots only; a link
 * that is a Proxy ends the chain unread.
 */
export function wrappedChain(fn: Function): WrappedChain {
  const { isProxy } = util().types;
  const links = [fn];
  let current = fn;
  for (;;) {
    if (isProxy(current)) return { links: links.slice(0, -1), proxy: true };
    const next = wrappedOf(current);
    if (next === undefined) return { links, proxy: false };
    if (links.includes(next)) {
      throw new UnwrapLoopError(
        `Wrapper loop when unwrapping function \`${ownName(fn) || '<anonymous>'}\``,
      );
    }
    links.push(next);
    current = next;
  }
}

/** Whether `fn` is native or bound: its source is `[native code]`, so no digest can tell. */
export function isNative(fn: Function): boolean {
  return /\{\s*\[native code\]\s*\}$/.test(sourceOf.call(fn));
}
