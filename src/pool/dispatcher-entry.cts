/**
 * The file piscina loads in each worker. piscina tries `require(filename)` before `import()`,
 * and on Node 20 a `require()` of an ES module whose graph is still being imported by an
 * `import()` in flight aborts the whole process (`v8::Module::IsGraphAsync must be used on an
 * instantiated module`): the task modules a worker imports share selfsame's own modules with
 * the dispatcher. This CommonJS entry is always required synchronously and safely, and loads
 * the ES dispatcher with `import()` alone.
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
