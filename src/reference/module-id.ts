/**
 * Module ids: the portable names a reference gives its module, and the policy that turns one
 * back into a file URL. An id is either a `./`-relative POSIX path under the root or a package
 * specifier whose package is listed by name; nothing else is ever imported, and a raw id never
 * reaches `import()`.
 */
import { ReferencePolicyError, ReferenceResolveError } from '../errors.js';
import { fs, path, url } from './node.js';
import { PACKAGE_NAME, type Policy } from './options.js';

/** The file extensions Node runs as JavaScript modules without flags or loaders. */
export const MODULE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs'];

// One path segment: no `.` or `..`, no `%` escapes, no `?`/`#`, no `:` (so no scheme, no drive).
const PATH_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9_@+~.-]+$/;

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
        `Refused ${where}: a module path may hold only plain segments (no \`..\`, \`.\`, empty segments, \`%\`, \`?\`, \`#\`, \`:\` or \`\\\`)`,
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
  return { kind: 'package', name, specifier: id };
}

function checkExtension(file: string, where: string): void {
  if (!MODULE_EXTENSIONS.some((extension) => file.endsWith(extension))) {
    throw new ReferencePolicyError(
      `Refused ${where}: a module file must end with ${MODULE_EXTENSIONS.join(', ')}`,
    );
  }
}

/**
 * Finds the file a classified module id names: resolves symlinks, checks containment in the
 * root (or in the listed package) and the extension again on the real path, and returns its
 * `file:` URL.
 */
export function locateModule(target: ModuleTarget, policy: Policy, where: string): string {
  const { sep } = path();
  if (target.kind === 'file') {
    const real = realFile(`${policy.root}${sep}${target.relative.split('/').join(sep)}`, where);
    if (!real.startsWith(`${policy.root}${sep}`)) {
      throw new ReferencePolicyError(
        `Refused ${where}: the module resolves to a file outside the root \`${policy.root}\` (a symlink)`,
      );
    }
    checkExtension(real, where);
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
  return url().pathToFileURL(real).href;
}

function realFile(file: string, where: string): string {
  let real: string;
  try {
    real = fs().realpathSync(file);
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
 * The portable id of the module at `moduleUrl` under the policy: a `./`-relative path when the
 * file lies under the root, the specifier itself when it is a listed package specifier, or
 * `undefined` when the module cannot be named portably.
 */
export function moduleIdOf(moduleUrl: string, policy: Policy): string | undefined {
  if (!moduleUrl.startsWith('file:')) {
    const scoped = moduleUrl.startsWith('@');
    const name = moduleUrl
      .split('/')
      .slice(0, scoped ? 2 : 1)
      .join('/');
    return policy.packages.includes(name) ? moduleUrl : undefined;
  }
  let file: string;
  try {
    file = fs().realpathSync(url().fileURLToPath(moduleUrl));
  } catch {
    // A module URL that names no file (deleted, or not a path): no portable id exists.
    return undefined;
  }
  const { sep } = path();
  if (file.startsWith(`${policy.root}${sep}`)) {
    return `./${file
      .slice(policy.root.length + 1)
      .split(sep)
      .join('/')}`;
  }
  return packageIdOf(file, policy);
}

/** A listed package's specifier for a file inside `node_modules/<name>/`, if one resolves to it. */
function packageIdOf(file: string, policy: Policy): string | undefined {
  const { sep } = path();
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at === -1) return undefined;
  const inside = file.slice(at + marker.length).split(sep);
  const scoped = inside[0]?.startsWith('@') ?? false;
  const name = inside.slice(0, scoped ? 2 : 1).join('/');
  if (!policy.packages.includes(name)) return undefined;
  const rest = inside.slice(scoped ? 2 : 1).join('/');
  const candidates = [name, `${name}/${rest}`, `${name}/${rest.replace(/\.[cm]?js$/, '')}`];
  const href = url().pathToFileURL(file).href;
  for (const candidate of candidates) {
    try {
      if (
        url().pathToFileURL(fs().realpathSync(url().fileURLToPath(import.meta.resolve(candidate))))
          .href === href
      ) {
        return candidate;
      }
    } catch {
      // This candidate is not exported by the package; the next one may be.
    }
  }
  return undefined;
}
