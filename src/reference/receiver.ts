/**
 * The `this` a resolved function is called with. JavaScript passes the object a method is read
 * from (`Jobs.resize(x)` runs with `this === Jobs`), and a static method that uses `this` (as
 * Python's classmethod uses `cls`) needs it; a function read off its holder and called bare
 * loses it. So selfsame remembers which object holds each function on the path its reference
 * names, and calls it with that object wherever it calls a resolved function (the pool's
 * workers, a rebuilt `partial`).
 */
import { walk } from './walk.js';

const receivers = new WeakMap<Function, object>();

/**
 * The object that holds `fn` on the path its reference names (its class, for a static
 * method), or `undefined` for a top-level export or a function never referenced or resolved.
 */
export function receiverOf(fn: Function): object | undefined {
  return receivers.get(fn);
}

/** Records the holder of `fn` at `segments` below `namespace`, a path already walked to `fn`. */
export function recordReceiver(fn: Function, namespace: object, segments: readonly string[]): void {
  if (segments.length < 2) {
    receivers.delete(fn);
    return;
  }
  const holder = walk(namespace, segments.slice(0, -1));
  const value = holder.ok ? holder.value : undefined;
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    receivers.set(fn, value);
  } else {
    receivers.delete(fn);
  }
}

/** Gives `fn` the receiver `of` has: a rebuilt partial is called as its function would be. */
export function recordReceiverOf(fn: Function, of: Function): void {
  const receiver = receivers.get(of);
  if (receiver === undefined) receivers.delete(fn);
  else receivers.set(fn, receiver);
}
