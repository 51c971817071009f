/**
 * Imports a module by its checked `file:` URL and returns its namespace object, once per URL.
 */
import { ReferenceResolveError } from '../errors.js';
import { util } from './node.js';

type Namespace = Record<string, unknown>;

/**
 * A namespace is always passed around boxed: resolving a promise with a namespace that exports
 * `then` would call that function, exactly the trap the trampoline below avoids.
 */
export interface Loaded {
  readonly namespace: Namespace;
}

const loading = new Map<string, Promise<Loaded>>();

// URLs whose import has settled: each module has finished evaluating, for good.
const loaded = new Set<string>();

/**
 * Whether an import of `moduleUrl` has already succeeded here, which proves that the module has
 * finished evaluating and can never again be waiting at a top-level `await`.
 */
export function hasLoaded(moduleUrl: string): boolean {
  return loaded.has(moduleUrl);
}

/**
 * The namespace of the module at `moduleUrl`, imported once however many resolutions ask for
 * it at the same time. `moduleUrl` must already have passed policy.
 */
export function loadNamespace(moduleUrl: string, where: string): Promise<Loaded> {
  let namespace = loading.get(moduleUrl);
  if (namespace === undefined) {
    namespace = importNamespace(moduleUrl, where);
    loading.set(moduleUrl, namespace);
    // A failed import may succeed later (a file written since), so only successes are kept.
    namespace.then(
      () => loaded.add(moduleUrl),
      () => loading.delete(moduleUrl),
    );
  }
  return namespace;
}

async function importNamespace(moduleUrl: string, where: string): Promise<Loaded> {
  // `import()` resolves its promise with the namespace, so a module that exports `then` would
  // have that function called and could substitute any value. A one-line trampoline module
  // re-exports the namespace under a fixed name instead; its own namespace has no `then`.
  const source = `import * as namespace from ${JSON.stringify(moduleUrl)}; export { namespace };`;
  let trampoline: { namespace?: unknown };
  try {
    // Base64, not percent-encoding: Bun imports a percent-encoded `data:` URL as a string asset
    // (its default export is the URL), but evaluates a base64 one. The source is ASCII (a
    // `file:` URL is percent-encoded), so `btoa` takes it whole.
    trampoline = await import(`data:text/javascript;base64,${btoa(source)}`);
  } catch (error) {
    throw new ReferenceResolveError(`Cannot resolve ${where}: importing the module failed`, {
      cause: error,
    });
  }
  const namespace = trampoline.namespace;
  if (!util().types.isModuleNamespaceObject(namespace)) {
    throw new ReferenceResolveError(
      `Cannot resolve ${where}: the import did not produce a module namespace`,
    );
  }
  return { namespace: namespace as Namespace };
}
