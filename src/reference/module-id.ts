/**
 * Module ids: the portable names a reference gives its module, and the policy that turns one
 * back into a file URL. An id is either a `./`-relative POSIX path under the root or a package
 * specifier whose package is listed by name; nothing else is ever imported, and a raw id never
 * reaches `import()`.
 */
import { ReferencePolicyError, ReferenceResolveError } from '../errors.js';
import { fs, path, url } from './node.js';
import { PACKAGE_NAME, type Policy } from './options.js';

const JAVASCRIPT = ['.js', '.mjs', '.cjs'];
const TYPESCRIPT = ['.ts', '.mts', '.cts'];

// Set once this process has a TypeScript loader that its pool workers get too (see below).
let loaderGiven = false;

/**
 * Declares that this process and the workers it runs load TypeScript through a loader, so
 * `.ts`, `.mts` and `.cts` module ids are accepted from now on. Called by a pool given a
 * loader (the main thread, whose workers register it before any task module) and by those
 * workers once it is registered; never undone.
 *
 * @internal
 */
export function allowTypeScriptModules(): void {
  loaderGiven = true;
}

/**
 * The file extensions this process and its worker threads import: JavaScript, and TypeScript
 * while Node strips types (on by default from Node 22.18 and 24; worker threads strip them the
 * same way), while tsx is registered here (`tsx main.ts`, `node --import tsx`: a pool gives its
 * workers the same loader), or once a pool was given a loader (its `loader` option).
 */
export function moduleExtensions(): readonly string[] {
  return loaderGiven || nodeStripsTypes() || tsxInExecArgv()
    ? [...JAVASCRIPT, ...TYPESCRIPT]
    : JAVASCRIPT;
}

/** `process.features.typescript` is `'strip'` or `'transform'` while Node runs `.ts` files. */
function nodeStripsTypes(): boolean {
  const node = (globalThis as { process?: { features?: { typescript?: unknown } } }).process;
  return typeof node?.features?.typescript === 'string';
}

/**
 * Whether this process was started with tsx's loader: `node --import tsx` (or `tsx/esm`, also
 * in `NODE_OPTIONS`), or the tsx CLI, which imports its `dist/loader.mjs` by path.
 *
 * @internal
 */
export function tsxInExecArgv(execArgv: readonly string[] | undefined = processFlags()): boolean {
  if (!Array.isArray(execArgv)) return false;
  return execArgv.some((flag, index) => {
    const [name, inline] = flag.startsWith('--') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    if (name !== '--import' && name !== '--loader' && name !== '--experimental-loader') {
      return false;
    }
    const value = inline ?? execArgv[index + 1] ?? '';
    return (
      value === 'tsx' || value === 'tsx/esm' || /[/\\]tsx[/\\]dist[/\\]loader\.mjs$/.test(value)
    );
  });
}

/** This thread's `execArgv`, then the flags of `NODE_OPTIONS` (split at spaces). */
function processFlags(): string[] | undefined {
  const node = (
    globalThis as { process?: { execArgv?: string[]; env?: Record<string, string | undefined> } }
  ).process;
  if (node?.execArgv === undefined) return undefined;
  const options = node.env?.NODE_OPTIONS?.split(/\s+/).filter((flag) => flag !== '') ?? [];
  return [...node.execArgv, ...options];
}

// One path segment: no `.` or `..`, no `%` escapes, no `?`/`#`, no `:` (so no scheme, no drive).
const PATH_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9_@+~.-]+$/;

const realModuleFiles = new Map<string, string>();

/** What a module id is allowed to mean, decided without touching the file system. */
export type ModuleTarget =
  | { readonly kind: 'file'; readonly relative: string }
  | { readonly kind: 'package'; readonly name: string; readonly specifier: string };

/**
 * Checks a module id against the policy, by its text alone. Throws a `ReferencePolicyError`
 * saying which rule refused it.
 */
export function classifyModuleId(id: string, policy: Policy, where: string): ModuleTarget {
  if (id.startsWith('./')) {
    const segments = id.slice(2).split('/');
    if (!segments.every((segment) => PATH_SEGMENT.test(segment))) {
      throw new ReferencePolicyError(
        `Refused ${where}: a module path may hold only plain segments of ASCII letters, digits and \`_@+~.-\` (no spaces, \`..\`, \`.\`, empty segments, \`%\`, \`?\`, \`#\`, \`:\` or \`\\\`)`,
      );
    }
    if (segments.includes('node_modules')) {
      throw new ReferencePolicyError(
        `Refused ${where}: a module path under the root may not pass through \`node_modules\` (packages are reachable only by a name listed in \`options.packages\`); list the package and reference it by its specifier`,
      );
    }
    checkExtension(id, where);
    return { kind: 'file', relative: segments.join('/') };
  }
  const segments = id.split('/');
  const scoped = id.startsWith('@');
  const name = segments.slice(0, scoped ? 2 : 1).join('/');
  const subpath = segments.slice(scoped ? 2 : 1);
  if (!PACKAGE_NAME.test(name) || !subpath.every((segment) => PATH_SEGMENT.test(segment))) {
    throw new ReferencePolicyError(
      `Refused ${where}: a module id must be a \`./\`-relative path under the root or a package specifier (no absolute paths, URLs, \`data:\`, \`node:\`, \`..\`, queries or fragments)`,
    );
  }
  if (!policy.packages.includes(name)) {
    throw new ReferencePolicyError(
      `Refused ${where}: the package \`${name}\` is not listed in \`options.packages\``,
    );
  }
  if (subpath.includes('node_modules')) {
    throw new ReferencePolicyError(
      `Refused ${where}: a package specifier may not reach into \`node_modules\` (a package nested in \`${name}\` is not \`${name}\`); list the nested package by its own name`,
    );
  }
  return { kind: 'package', name, specifier: id };
}

function checkExtension(file: string, where: string): void {
  const extensions = moduleExtensions();
  if (!extensions.some((extension) => file.endsWith(extension))) {
    throw new ReferencePolicyError(
      `Refused ${where}: a module file must end with ${extensions.join(', ')}`,
    );
  }
}

/**
 * Finds the file a classified module id names: resolves symlinks, checks containment in the
 * root (or in the listed package) and the extension again on the real path, and returns its
 * `file:` URL.
 */
export function locateModule(target: ModuleTarget, policy: Policy, where: string): string {
  if (target.kind === 'file') {
    const real = realFile(path().join(policy.root, ...target.relative.split('/')), where);
    if (!isWithin(real, policy.root)) {
      throw new ReferencePolicyError(
        `Refused ${where}: the module resolves to a file outside the root \`${policy.root}\` (a symlink); set \`options.root\` to a directory that holds the file itself`,
      );
    }
    // The id's own text was checked for `node_modules`; a symlink under the root may still lead
    // into one, and the real path is what would be imported.
    if (segmentsUnder(real, policy.root).includes('node_modules')) {
      throw new ReferencePolicyError(
        `Refused ${where}: the module resolves (through a symlink) to a file inside \`node_modules\` under the root (packages are reachable only by a name listed in \`options.packages\`); list the package and reference it by its specifier`,
      );
    }
    checkExtension(real, where);
    checkNotInternal(real, where);
    return url().pathToFileURL(real).href;
  }
  let resolved: string;
  try {
    // Resolved from selfsame's own location, as `import()` here would; the id itself was
    // already checked to be a listed package or a path under one.
    resolved = import.meta.resolve(target.specifier);
  } catch (error) {
    throw new ReferenceResolveError(
      `Cannot resolve ${where}: the package specifier does not resolve`,
      {
        cause: error,
      },
    );
  }
  if (!resolved.startsWith('file:')) {
    throw new ReferencePolicyError(
      `Refused ${where}: the specifier resolves to \`${resolved.slice(0, 80)}\`, not to a file`,
    );
  }
  const real = realFile(url().fileURLToPath(resolved), where);
  checkExtension(real, where);
  const owner = owningPackage(real)?.name;
  if (owner !== target.name) {
    throw new ReferencePolicyError(
      `Refused ${where}: the specifier resolves to a file of ${owner === undefined ? 'no package' : `the package \`${owner}\``}, not of the listed \`${target.name}\`; list that package in \`options.packages\` by its own name`,
    );
  }
  checkNotInternal(real, where);
  return url().pathToFileURL(real).href;
}

/** The path segments of `file` below `directory`, which holds it (both real paths). */
function segmentsUnder(file: string, directory: string): string[] {
  const { sep } = path();
  return file.slice(directory.endsWith(sep) ? directory.length : directory.length + 1).split(sep);
}

/** Whether `file` (a real path) lies inside the directory `directory` (a real path). */
function isWithin(file: string, directory: string): boolean {
  const { sep } = path();
  // The file system root already ends with the separator: `/` holds every absolute path.
  return file.startsWith(directory.endsWith(sep) ? directory : `${directory}${sep}`);
}

/**
 * selfsame's own modules, other than its public entry points, are never resolved: they hold
 * loaders and helpers (an `import()` of any URL among them) that must not be reachable by name.
 */
function checkNotInternal(real: string, where: string): void {
  const own = ownLayout();
  if (!own.folders.some((folder) => isWithin(real, folder)) || own.entries.includes(real)) return;
  throw new ReferencePolicyError(
    `Refused ${where}: the module is one of selfsame's own internal modules; only its public entry points (\`selfsame\`, \`selfsame/pool\`) may be referenced`,
  );
}

/** The real paths of selfsame's source and build folders, and of its public entry files. */
interface OwnLayout {
  readonly folders: readonly string[];
  readonly entries: readonly string[];
}

let layout: OwnLayout | undefined;

function ownLayout(): OwnLayout {
  if (layout === undefined) {
    // This file is `src/reference/module-id.ts` or `dist/reference/module-id.js`.
    const real = (relative: string) => {
      const file = url().fileURLToPath(new URL(relative, import.meta.url));
      try {
        return fs().realpathSync.native(file);
      } catch {
        // Not built (tests run from source): the path itself, which no real file can equal.
        return file;
      }
    };
    layout = {
      folders: [real('../../src'), real('../../dist')],
      entries: [real('../../dist/index.js'), real('../../dist/pool/index.js')],
    };
  }
  return layout;
}

function realFile(file: string, where: string): string {
  let real: string;
  try {
    real = fs().realpathSync.native(file);
  } catch (error) {
    throw new ReferenceResolveError(`Cannot resolve ${where}: the module file does not exist`, {
      cause: error,
    });
  }
  if (!fs().statSync(real).isFile()) {
    throw new ReferenceResolveError(`Cannot resolve ${where}: the module is not a file`);
  }
  return real;
}

/**
 * The portable ids that may name the module at `moduleUrl` under the policy, best first: a
 * `./`-relative path when the file lies under the root; for a file of a listed package, the
 * specifiers of that package that resolve to the file, then the package's own name (whose entry
 * may re-export the function); the specifier itself when `moduleUrl` is a listed package
 * specifier. Empty when the module cannot be named portably. Which one works is proven by
 * importing it.
 */
export function moduleIdsOf(moduleUrl: string, policy: Policy): string[] {
  if (!moduleUrl.startsWith('file:')) {
    return policy.packages.includes(packageNameOf(moduleUrl)) ? [moduleUrl] : [];
  }
  let file = realModuleFiles.get(moduleUrl);
  if (file === undefined) {
    try {
      file = fs().realpathSync.native(url().fileURLToPath(moduleUrl));
    } catch {
      // A module URL that names no file (deleted, or not a path): no portable id exists.
      return [];
    }
    // A loaded module's file stays where it was loaded from; the proof re-checks the rest.
    if (realModuleFiles.size >= 10_000) realModuleFiles.clear();
    realModuleFiles.set(moduleUrl, file);
  }
  const { sep } = path();
  if (isWithin(file, policy.root)) {
    const relative = segmentsUnder(file, policy.root);
    // A file of an installed package is named by its package, never by a path into
    // `node_modules`, which `fromReference` refuses.
    if (!relative.includes('node_modules')) return [`./${relative.join('/')}`];
  }
  const owner = owningPackage(file);
  if (owner === undefined || !policy.packages.includes(owner.name)) return [];
  const rest = file
    .slice(owner.directory.length + 1)
    .split(sep)
    .join('/');
  const exact = [`${owner.name}/${rest}`, `${owner.name}/${rest.replace(/\.[cm]?js$/, '')}`].filter(
    (candidate) => resolvesTo(candidate, file),
  );
  return [...exact, owner.name];
}

/**
 * Whether the module at `moduleUrl` (a `file:` URL) belongs to the package `name`: a function a
 * package defines in one file and exports from its entry is referenced by the package's name.
 */
export function belongsToPackage(moduleUrl: string, name: string): boolean {
  if (!moduleUrl.startsWith('file:')) return false;
  try {
    return owningPackage(fs().realpathSync.native(url().fileURLToPath(moduleUrl)))?.name === name;
  } catch {
    // A recorded module that names no file belongs to no package.
    return false;
  }
}

/** The name of a package specifier (`@scope/name` or `name`) without its subpath. */
function packageNameOf(specifier: string): string {
  const segments = specifier.split('/');
  return segments.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** The nearest enclosing `package.json` that has a name: the package a file belongs to. */
function owningPackage(file: string): { name: string; directory: string } | undefined {
  const { dirname, join } = path();
  for (let directory = dirname(file); ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (fs().existsSync(manifest)) {
      let name: unknown;
      try {
        ({ name } = JSON.parse(fs().readFileSync(manifest, 'utf8')) as { name?: unknown });
      } catch {
        // An unreadable manifest names no package; the file is then not in a listed one.
        return undefined;
      }
      // A nameless package.json (such as `{ "type": "module" }` in a subfolder) is not a package.
      if (typeof name === 'string') return { name, directory };
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function resolvesTo(specifier: string, file: string): boolean {
  try {
    return fs().realpathSync.native(url().fileURLToPath(import.meta.resolve(specifier))) === file;
  } catch {
    // Not exported by the package (or not a file): this specifier does not name the file.
    return false;
  }
}
