/**
 * The guard against a task module that starts work when it is imported (Python's "An attempt
 * has been made to start a new process before the current process has finished its
 * bootstrapping phase"). A worker imports the module that defines a task's function; a script
 * that calls `main()` at its top level without `if (isMainModule(import.meta))` would then start
 * a pool of its own in every worker, and repeat every side effect of `main()`.
 *
 * While the dispatcher imports a module, it marks it in a slot on `globalThis` under a
 * `Symbol.for` key, so that the mark is seen by every copy of selfsame loaded in that thread; a
 * `Pool` constructed meanwhile refuses to start, and the dispatcher reports the refusal as the
 * task's failure.
 *
 * @internal
 * @packageDocumentation
 */
import { UnguardedModuleError } from './errors.js';

const IMPORTING = Symbol.for('selfsame.pool.importing');

/** What the dispatcher is importing now, and the refusal raised meanwhile, if any. */
export interface ImportMark {
  /** The module id being imported (`./main.js`). */
  readonly module: string;
  refused?: UnguardedModuleError;
}

type Slot = { [IMPORTING]?: ImportMark };

/**
 * Runs `load` with `module` marked as being imported by a pool worker, and returns the mark so
 * the caller can see whether a pool was refused meanwhile.
 */
export async function whileImporting<T>(
  module: string,
  load: () => Promise<T>,
): Promise<{ mark: ImportMark; loaded: PromiseSettledResult<T> }> {
  const slot = globalThis as Slot;
  const previous = slot[IMPORTING];
  const mark: ImportMark = { module };
  slot[IMPORTING] = mark;
  try {
    const [loaded] = await Promise.allSettled([load()]);
    return { mark, loaded: loaded as PromiseSettledResult<T> };
  } finally {
    if (previous === undefined) delete slot[IMPORTING];
    else slot[IMPORTING] = previous;
  }
}

/** Throws {@link UnguardedModuleError} when a pool worker is importing a module right now. */
export function refuseWhileImporting(): void {
  const mark = (globalThis as Slot)[IMPORTING];
  if (mark === undefined) return;
  const error = new UnguardedModuleError(
    `Cannot start a Pool while a worker thread of another pool imports \`${mark.module}\`: that module starts work when it is imported, so every worker would start it again. Guard the work: \`if (isMainModule(import.meta)) main();\``,
  );
  mark.refused ??= error;
  throw error;
}
