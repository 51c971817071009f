/**
 * Installs `Symbol.metadata` where the runtime lacks it (Node 20), so that TypeScript's standard
 * decorators hand every decorator a `context.metadata` object: without the symbol, the compiled
 * decorator helpers pass `undefined`. It must exist before any decorated class is defined, which
 * is why every decorator path of selfsame imports this module first (through `wraps.ts`), and why
 * `package.json` lists it in `sideEffects`. `Symbol.for` gives two copies of selfsame, and Lit or
 * any other library doing the same, one shared symbol.
 */
const symbols = Symbol as { metadata?: symbol };
symbols.metadata ??= Symbol.for('Symbol.metadata');
