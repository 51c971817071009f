/**
 * The file piscina loads in each worker. piscina tries `require(filename)` before `import()`,
 * and on Node 20 a `require()` of an ES module whose graph is still being imported by an
 * `import()` in flight aborts the whole process (`v8::Module::IsGraphAsync must be used on an
 * instantiated module`): the task modules a worker imports share selfsame's own modules with
 * the dispatcher. This CommonJS entry is what piscina requires; it loads the ES dispatcher with
 * a synchronous `require()` of its own, first thing in the worker, before any `import()` can be
 * in flight (piscina's worker has imported nothing yet, and the task modules are imported later,
 * by the dispatcher): a synchronous load of the graph also skips the asynchronous loader's hops
 * between its files, about a third of the dispatcher's load time.
 */
type Dispatch = (message: unknown) => unknown;

const dispatch = (require('./dispatcher.js') as { default: Dispatch }).default;

export = dispatch;
