/**
 * Where selfsame keeps a function's identity. `Symbol.for` keys live in the global symbol
 * registry, so two copies of selfsame loaded in one process (a bundled copy and a hoisted one,
 * or the source and the build) read and write the same slots.
 */
export const QUALNAME_KEY: unique symbol = Symbol.for('selfsame.qualname') as never;
export const MODULE_KEY: unique symbol = Symbol.for('selfsame.module') as never;
export const DOC_KEY: unique symbol = Symbol.for('selfsame.doc') as never;
export const WRAPPED_KEY: unique symbol = Symbol.for('selfsame.wrapped') as never;
