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

let dispatch: Dispatch | undefined;
// Started as soon as piscina requires this file, so the initializer still begins at worker start.
const loading: Promise<Dispatch> = import('./dispatcher.js').then((module) => {
  dispatch = module.default as Dispatch;
  return dispatch;
});

function dispatchTask(message: unknown): unknown {
  // Once loaded, the ES dispatcher is called directly: its synchronous fast path stays synchronous.
  return dispatch === undefined ? loading.then((loaded) => loaded(message)) : dispatch(message);
}

export = dispatchTask;
