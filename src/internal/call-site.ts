/**
 * Where a decorator was applied, read from V8's structured call sites at decoration time: the
 * module whose code applied it, and whether that code ran at the module's top level or inside a
 * function body. This is how a decorated function learns its module without `import.meta`.
 *
 * The frames are raw: they name the file V8 executed, never a source-mapped original
 * (`--enable-source-maps` rewrites only the formatted `stack` string). A bundle or minified file
 * is reported as itself; there the user must give the identity explicitly.
 */

import { segmentOf } from '../qualname.js';
import { nodeBuiltin } from './builtins.js';

/** What {@link decorationSite} learned about the code that applied a decorator. */
export interface DecorationSite {
  /** The `file:` URL of the module that applied the decorator; `undefined` when unknown. */
  readonly module: string | undefined;
  /**
   * The name of the function whose body applied the decorator, as a qualname segment
   * (`<lambda>` when anonymous); `undefined` when it ran at the module's top level.
   */
  readonly enclosing: string | undefined;
}

/** The part of V8's `CallSite` read here; `getEnclosing*` exist from V8 9.x (Node 16). */
interface CallSite {
  getFileName(): string | undefined | null;
  getFunctionName(): string | null;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
}

/** A site nothing is known of: also what a decoration uses that needs no site at all. */
export const UNKNOWN_SITE: DecorationSite = Object.freeze({
  module: undefined,
  enclosing: undefined,
});

// The directory holding selfsame's own modules (`src/` or `dist/`): frames there are the library
// applying itself, never the user's decoration site.
const OWN_ROOT = new URL('../', import.meta.url).href;

// The helpers that compilers emit to apply decorators, called by name from the user's module or
// from tslib. Their frames sit between the decorator and the class definition.
const COMPILER_HELPERS = new Set([
  '__decorate',
  '__esDecorate',
  '__runInitializers',
  '__decorateClass',
  '__decorateElement',
  '__decoratorStart',
  '_ts_decorate',
  '_apply_decs_2203_r',
  '_apply_decs_2311',
  '_applyDecs2311',
]);

// A class's static block, where TypeScript's standard-decorator output calls `__esDecorate`.
const STATIC_BLOCK = '<static_initializer>';

/** The first frames below a decorator function the user called, as {@link callerFrames} read them. */
export type CallerFrames = readonly CallSite[];

/**
 * The first `limit` frames below `above`, the public function that was called (a decorator, or
 * what `toReference` was given), structured, with `prepareStackTrace` and `stackTraceLimit`
 * restored whatever happens. Call it from `above` itself where speed matters: V8 walks and
 * summarises every frame between the capture and `above` (for optimised code, by decoding the
 * functions inlined into it), and each of those costs about as much as a frame kept.
 *
 * @returns the frames; `undefined` where the runtime gives no structured stack
 */
export function callerFrames(
  above: Function,
  limit: number = SHALLOW_FRAMES,
): CallerFrames | undefined {
  const errorClass = Error as ErrorConstructor & {
    prepareStackTrace?: (error: Error, frames: CallSite[]) => unknown;
    stackTraceLimit: number;
  };
  if (typeof errorClass.captureStackTrace !== 'function') return undefined;
  const previousPrepare = errorClass.prepareStackTrace;
  const previousLimit = errorClass.stackTraceLimit;
  try {
    errorClass.prepareStackTrace = toFrames;
    errorClass.stackTraceLimit = limit;
    const holder: { stack?: unknown } = {};
    errorClass.captureStackTrace(holder, above);
    return Array.isArray(holder.stack) ? (holder.stack as CallSite[]) : undefined;
  } finally {
    errorClass.prepareStackTrace = previousPrepare;
    errorClass.stackTraceLimit = previousLimit;
  }
}

function toFrames(_error: Error, frames: CallSite[]): CallSite[] {
  return frames;
}

/**
 * Reads the call stack of the current decoration and reports its site.
 *
 * @param above - the public decorator function the user's code (or a compiler helper) called:
 *   its frame and everything it called are left out, so selfsame's own frames are not captured
 *   and the first frame read is its caller's
 * @param member - `true` when a class member or a class is decorated by a compiled decorator:
 *   TypeScript's standard output wraps a decorated class in an arrow function called at once, so
 *   the one anonymous frame right after the class's static block is part of the class definition,
 *   not an enclosing function
 * @param shallow - the first frames below `above`, when `above` read them itself
 */
export function decorationSite(
  above: Function,
  member: boolean,
  shallow: CallerFrames | undefined = callerFrames(above),
): DecorationSite {
  // Each read costs V8 a captured and a structured call site per frame, and a fixed price of its
  // own: one read of a few frames settles the usual decoration (a compiler helper, the module
  // body, or a function body with no helper below it), and only a stack that has not settled by
  // then is read again, deep enough for reflect-metadata and framework composition.
  if (shallow === undefined) return UNKNOWN_SITE;
  const first = siteFrom(shallow, member);
  if (first.settled || shallow.length < SHALLOW_FRAMES) return first.site;
  const deep = callerFrames(above, DEEP_FRAMES);
  return deep === undefined ? UNKNOWN_SITE : siteFrom(deep, member).site;
}

// Six frames below the decorator: what the first read reached when it started inside selfsame,
// four frames of its own deeper. A helper is looked for that far below a function found on the
// stack, which is an enclosing function only when no helper called it (a user's own legacy class
// decorator, `function logged(C) { return dec(C); }`, is called by `__decorate` and names nothing).
const SHALLOW_FRAMES = 6;
const DEEP_FRAMES = 36;

/** The site these frames show, and whether it was settled before they ended. */
function siteFrom(
  frames: readonly CallSite[],
  member: boolean,
): { readonly site: DecorationSite; readonly settled: boolean } {
  let module: string | undefined;
  let afterStaticBlock = false;
  // Every frame below a compiler helper is decorator machinery, never the class's definition
  // site: SWC's inline helpers (its default) paste `_apply_decs_2311` and its nested functions
  // (`applyDec`, `memberDec`) into the user's module, where they would read as enclosing
  // functions (`applyDec.<locals>.Tasks.run`).
  const machinery = frames.findIndex((frame) => COMPILER_HELPERS.has(functionName(frame) ?? ''));
  for (const [index, frame] of frames.entries()) {
    if (index < machinery) continue;
    const file = fileUrlOf(frame.getFileName());
    if (file === undefined) return { site: { module, enclosing: undefined }, settled: true };
    if (file.startsWith(OWN_ROOT)) continue;
    const name = functionName(frame);
    if (name !== null && isHelper(name, file)) continue;
    if (name === STATIC_BLOCK) {
      module ??= file;
      afterStaticBlock = member;
      continue;
    }
    module ??= file;
    if (isModuleBody(frame, frames[index + 1])) {
      // Without enclosing positions the last frame read may be a body only because the read
      // stopped there: settled only by a deeper read, or by a stack shorter than the read.
      const cut = index === frames.length - 1 && !hasEnclosingPositions(frame);
      return { site: { module, enclosing: undefined }, settled: !cut };
    }
    // Without enclosing positions (Bun, Deno) an anonymous frame (a static block, the arrow
    // TypeScript wraps a decorated class in, or an arrow of the user's) cannot be told apart:
    // it names nothing, and the search goes on outward.
    if (name === null && !hasEnclosingPositions(frame)) continue;
    if (afterStaticBlock && name === null) {
      afterStaticBlock = false;
      continue;
    }
    // A member's helper may lie below the frames read (SWC's inline helpers nest three deep):
    // a function found before any helper is settled only by a deeper read.
    const site = { module, enclosing: segmentOf(withoutReceiver(name)) };
    return { site, settled: !member || machinery !== -1 };
  }
  return { site: { module, enclosing: undefined }, settled: false };
}

/**
 * Whether the top-level code of the module at `moduleUrl` is evaluating on this stack, below
 * `above`: its body is running synchronously under the call, or, resumed from a top-level
 * `await`, its body awaits the chain of async functions that made the call (V8 lists such
 * awaiting callers as async frames, the module body among them).
 *
 * @param moduleUrl - the module's `file:` URL, as its own frames report it
 * @param above - the public function that was called: its frame and those of its callees are
 *   left out
 */
export function isModuleEvaluating(moduleUrl: string, above: Function): boolean {
  // A user's own wrappers, a pool's methods and the async chain all sit between the call and the
  // module body; a pathological depth only loses the diagnosis, never a working reference.
  const frames = callerFrames(above, 60);
  if (frames === undefined) return false;
  return frames.some(
    (frame, index) =>
      fileUrlOf(frame.getFileName()) === moduleUrl && isModuleBody(frame, frames[index + 1]),
  );
}

/**
 * A frame of compiler or library machinery rather than user code: the known compiler helpers,
 * and any function of an installed package (reflect-metadata's `decorate`, NestJS's
 * `applyDecorators`). A package's own module body is still a module and is not skipped.
 */
function isHelper(name: string, file: string): boolean {
  return COMPILER_HELPERS.has(name) || file.includes('/node_modules/');
}

/** A frame's function name; `null` when anonymous (V8 says `null`, Bun's JavaScriptCore `''`). */
function functionName(frame: CallSite): string | null {
  return frame.getFunctionName() || null;
}

/** Whether the runtime tells a frame's enclosing position (V8 under Node does; Bun, Deno do not). */
function hasEnclosingPositions(frame: CallSite): boolean {
  return typeof frame.getEnclosingLineNumber === 'function';
}

/**
 * True for the frame of a module's own body. V8 gives it no function name, and its enclosing
 * position is the very start of the script (column 1, or none when a loader such as vitest's
 * wraps the module in a function on the first line); an anonymous function always starts later.
 * Deno and Bun give no enclosing position at all: there the module body is the anonymous frame
 * that no other frame of user code called (`next` is the runtime's own, or there is none), so an
 * anonymous function called from a timer or an event reads as a module body there.
 */
function isModuleBody(frame: CallSite, next: CallSite | undefined): boolean {
  if (functionName(frame) !== null) return false;
  if (!hasEnclosingPositions(frame)) {
    return next === undefined || fileUrlOf(next.getFileName()) === undefined;
  }
  const line = frame.getEnclosingLineNumber?.();
  const column = frame.getEnclosingColumnNumber?.();
  return line === 1 && (column === null || column === undefined || column <= 1);
}

/**
 * A frame's function name without the receiver V8 infers in front of it (`obj.method`,
 * `Task.run`): a function's own `name` never carries one, so only frames need this step.
 */
function withoutReceiver(name: string | null): string | null {
  return name === null ? null : name.slice(name.lastIndexOf('.') + 1);
}

/** A frame's file as a `file:` URL; `undefined` for Node's internals and unnamed scripts. */
function fileUrlOf(file: string | undefined | null): string | undefined {
  if (typeof file !== 'string' || file === '') return undefined;
  if (file.startsWith('file:')) return file;
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return pathToFileUrl(file);
  return undefined;
}

type UrlModule = { pathToFileURL(path: string): URL };
let urlModule: UrlModule | undefined;

/** `node:url`'s conversion where Node is present; a POSIX-only encoding elsewhere. */
function pathToFileUrl(path: string): string {
  urlModule ??= nodeBuiltin<UrlModule>('node:url');
  if (urlModule !== undefined) return urlModule.pathToFileURL(path).href;
  return `file://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
}
