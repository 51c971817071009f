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

type Setup = Pick<import('./protocol.js').WorkerSetup, 'loader' | 'initializer'> | null;

const setup = (require('node:worker_threads') as typeof import('node:worker_threads'))
  .workerData as Setup;

/**
 * Registers the pool's TypeScript loader (tsx, by the `file:` URLs of its public API modules)
 * in this worker before the dispatcher or any task module is imported (the dispatcher then lets
 * references name TypeScript modules). Nothing when the pool has no loader.
 */
async function registerLoader(): Promise<void> {
  const loader = setup?.loader;
  if (loader === undefined) return;
  const { fileURLToPath } = require('node:url') as typeof import('node:url');
  ((await import(loader.esm)) as Registrar).register();
  (require(fileURLToPath(loader.cjs)) as Registrar).register();
}

/**
 * `./dispatcher.js` and its whole graph as one module, built after tsc by
 * `scripts/bundle-dispatcher.mjs`: one file to read, resolve and compile in each worker instead
 * of about thirty (docs/performance.md, "Start-up").
 */
const BUNDLE = './dispatcher-bundle.js';

let dispatch: Dispatch | undefined;
// Started as soon as piscina requires this file, so the initializer still begins at worker start.
const loading: Promise<Dispatch> = registerLoader()
  .then(() => import(BUNDLE) as Promise<typeof import('./dispatcher.js')>)
  .then((module) => {
    dispatch = module.default as Dispatch;
    return dispatch;
  });

const DRAIN: typeof import('./protocol.js').DRAIN = 'drain';
/** Whether this worker was handed a task: its dispatcher then answers every request. */
let tasked = false;

function dispatchTask(message: unknown): unknown {
  // Once loaded, the ES dispatcher is called directly: its synchronous fast path stays synchronous.
  if (dispatch !== undefined) return dispatch(message);
  if (!tasked && setup?.initializer === undefined && (message as unknown[])[0] === DRAIN) {
    // close() drains a worker that never got a task: with no initializer, no code of the pool's
    // user ever ran here, so nothing can be left behind, and close() need not wait for the
    // dispatcher to load only to hear that (see the dispatcher's `drain`).
    const report: import('./protocol.js').DrainReport = { pending: [] };
    return report;
  }
  tasked = true;
  return loading.then((loaded) => loaded(message));
}

export = dispatchTask;
