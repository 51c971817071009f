/**
 * The name of the tracing channel timed calls are published on, and the direct sink selfsame's own
 * collectors use instead, in a leaf of its own: the pool's workers reach both without loading the
 * decorator machinery.
 */

/** The name of the `node:diagnostics_channel` tracing channel every timed call is published on. */
export const TRACING_CHANNEL = 'selfsame:trackExecutionTime';

/**
 * Receives every timed call of this thread as it ends: times in milliseconds since the Unix epoch,
 * `error` meaningful only when `failed`. Called synchronously from the timed wrapper, so it must be
 * cheap and must not throw (a throw is re-thrown on a later microtask, as `onRecord`'s).
 */
export type CallSink = (
  qualname: string,
  module: string | undefined,
  start: number,
  end: number,
  failed: boolean,
  error: unknown,
) => void;

/** The one slot a thread's timed wrappers read on every call; `sink` is unset unless collecting. */
export interface CallSinks {
  sink: CallSink | undefined;
}

// Keyed in the global registry, so that two copies of selfsame in one thread share the slot, as
// they share the tracing channel by its name.
const SINKS = Symbol.for('selfsame.trackExecutionTime.sinks');

/**
 * This thread's slot, made on first use (by the first decoration or the first collector), never
 * at import: a timed call then costs one property read while nothing collects. Internal: the pool's
 * workers fill it when the pool was given `onRecord`.
 */
export function callSinks(): CallSinks {
  const global = globalThis as { [SINKS]?: CallSinks };
  let sinks = global[SINKS];
  if (sinks === undefined) {
    sinks = { sink: undefined };
    global[SINKS] = sinks;
  }
  return sinks;
}
