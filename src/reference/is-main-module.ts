/**
 * `isMainModule`: Python's `if __name__ == "__main__":` for ES modules.
 */
import { describeValue } from '../internal/describe.js';
import { metaUrl } from '../internal/own-data.js';
import { fs, path, url, workerThreads } from './node.js';

/**
 * Whether the calling module is the entry module of the main thread: the script Node was
 * started with. Always `false` inside a worker thread, so a script that defines the functions
 * it sends to a pool can guard its own top-level work, because each worker imports it again.
 *
 * @param meta - the caller's `import.meta`
 * @returns `true` only in the entry module, on the main thread
 * @throws TypeError when `meta` has no string `url`
 * @example
 * ```ts
 * export function resize(path: string) {}
 * if (isMainModule(import.meta)) main(); // not awaited: a proof imports this very module
 * ```
 */
export function isMainModule(meta: { readonly url: string }): boolean {
  const moduleUrl: unknown = typeof meta === 'object' && meta !== null ? metaUrl(meta) : undefined;
  if (typeof moduleUrl !== 'string') {
    throw new TypeError(
      `Expected \`meta\` to be \`import.meta\` (an object with a string \`url\`), got ${describeValue(meta)}`,
    );
  }
  if (!workerThreads().isMainThread || !moduleUrl.startsWith('file:')) return false;
  const entry = process.argv[1];
  if (entry === undefined || entry === '') return false;
  return realPath(url().fileURLToPath(moduleUrl)) === entryPath(entry);
}

let cachedEntry: { readonly argv: string; readonly real: string | undefined } | undefined;

/** The real path of the entry script, trying the extensions Node's main resolution tries. */
function entryPath(entry: string): string | undefined {
  if (cachedEntry?.argv !== entry) {
    const absolute = path().resolve(entry);
    const real = ['', '.js', '.mjs', '.cjs']
      .map((extension) => realPath(absolute + extension))
      .find((found) => found !== undefined);
    cachedEntry = { argv: entry, real };
  }
  return cachedEntry.real;
}

function realPath(file: string): string | undefined {
  try {
    const real = fs().realpathSync.native(file);
    return fs().statSync(real).isFile() ? real : undefined;
  } catch {
    // A path that does not exist is simply not the entry.
    return undefined;
  }
}
