/**
 * The name of the tracing channel timed calls are published on, in a leaf of its own: the pool's
 * workers subscribe to it without loading the decorator machinery.
 */

/** The name of the `node:diagnostics_channel` tracing channel every timed call is published on. */
export const TRACING_CHANNEL = 'selfsame:trackExecutionTime';
