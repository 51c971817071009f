/**
 * The file piscina loads in each worker. piscina tries `require(filename)` before `import()`,
 * and on Node 20 a `require()` of an ES module can abort the whole process
 * (`v8::Module::IsGraphAsync must be used on an instantiated module`): when its graph is still
 * being imported by an `import()` in flight, and when the worker is terminated while the
 * `require()` instantiates the graph (seen here in the start-up benchmark, which closes each
 * pool right after its first result, while its second worker is still starting; a synchronous
 * `require()` of the dispatcher from this entry hit it within a few dozen pools). This CommonJS
 * entry is always required synchronously and safely, and loads the ES dispatcher with
 * `import()` alone.
 */
type Dispatch = (message: unknown) => unknown;

type Registrar = { register(): unknown };

/**
 * Registers the pool's TypeScript loader (tsx, by the `file:` URLs of its public API modules)
 * in this worker before the dispatcher or any task module is imported, and lets references
 * name TypeScript modules here. Nothing when the pool has no loader.
 */
async function registerLoader(): Promise<void> {
  const { workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { fileURLToPath } = require('node:url') as typeof import('node:url');
  const loader = (workerData as { loader?: { esm: string; cjs: string } } | null)?.loader;
  if (loader === undefined) return;
  ((await import(loader.esm)) as Registrar).register();
  (require(fileURLToPath(loader.cjs)) as Registrar).register();
  (
    (await import('../reference/module-id.js')) as { allowTypeScriptModules(): void }
  ).allowTypeScriptModules();
}

let dispatch: Dispatch | undefined;
// Started as soon as piscina requires this file, so the initializer still begins at worker start.
const loading: Promise<Dispatch> = registerLoader()
  .then(() => import('./dispatcher.js'))
  .then((module) => {
    dispatch = module.default as Dispatch;
    return dispatch;
  });

function dispatchTask(message: unknown): unknown {
  // Once loaded, the ES dispatcher is called directly: its synchronous fast path stays synchronous.
  return dispatch === undefined ? loading.then((loaded) => loaded(message)) : dispatch(message);
}

export = dispatchTask;
