import { describe, expect, it } from 'vitest';
import { decorationSite, isModuleEvaluating } from '../src/internal/call-site.js';

// Read at this module's top level.
const topLevel = decorationSite(decorationSite, false);

function probe(moduleUrl: string): boolean {
  return isModuleEvaluating(moduleUrl, probe);
}

async function probeAfterAwait(moduleUrl: string): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return probe(moduleUrl);
}

// Read while this module evaluates: synchronously, after a top-level `await`, and from an async
// function that the top level awaits once it has resumed from its own `await`.
const evaluating = {
  before: probe(import.meta.url),
  otherModule: probe(new URL('./fixtures/timed-worker.js', import.meta.url).href),
  afterAwait: await Promise.resolve().then(() => probe(import.meta.url)),
  awaitedChain: await probeAfterAwait(import.meta.url),
};

describe('decorationSite', () => {
  it('names the module whose top level applied the decorator', () => {
    expect(topLevel).toEqual({ module: import.meta.url, enclosing: undefined });
  });

  it('names the function whose body applied it', () => {
    function makeTask() {
      return decorationSite(decorationSite, false);
    }
    expect(makeTask()).toEqual({ module: import.meta.url, enclosing: 'makeTask' });
  });

  it('names an anonymous function `<lambda>`', () => {
    expect([0].map(() => decorationSite(decorationSite, false))[0]).toEqual({
      module: import.meta.url,
      enclosing: '<lambda>',
    });
  });

  it('keeps the last identifier of a name V8 composed', () => {
    const tasks = {
      build: () => decorationSite(decorationSite, false),
    };
    expect(tasks.build().enclosing).toBe('build');
  });

  it('reads the stack again, deeper, when the first frames are all helpers', () => {
    // Twenty helper frames: more than the first read takes, fewer than the second.
    function __decorate(depth: number): unknown {
      return depth === 0 ? decorationSite(decorationSite, true) : __decorate(depth - 1);
    }
    function defineDeepTasks() {
      return __decorate(20);
    }
    expect(defineDeepTasks()).toEqual({ module: import.meta.url, enclosing: 'defineDeepTasks' });
  });

  it('skips the frames of compiler decorator helpers', () => {
    function __decorate(apply: () => unknown) {
      return apply();
    }
    function defineTasks() {
      return __decorate(function __esDecorate() {
        return decorationSite(decorationSite, true);
      });
    }
    expect(defineTasks()).toEqual({ module: import.meta.url, enclosing: 'defineTasks' });
  });

  it('restores `Error.prepareStackTrace` and `Error.stackTraceLimit`', () => {
    const prepare = (_: Error, frames: unknown[]) => `custom ${frames.length}`;
    const previous = { prepare: Error.prepareStackTrace, limit: Error.stackTraceLimit };
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = 3;
    try {
      decorationSite(decorationSite, false);
      expect(Error.prepareStackTrace).toBe(prepare);
      expect(Error.stackTraceLimit).toBe(3);
      expect(new Error('x').stack).toBe('custom 3');
    } finally {
      Error.prepareStackTrace = previous.prepare;
      Error.stackTraceLimit = previous.limit;
    }
  });
});

describe('isModuleEvaluating', () => {
  it("sees a module's body on the stack while it evaluates, before and after a top-level `await`", () => {
    expect(evaluating).toEqual({
      before: true,
      otherModule: false,
      afterAwait: true,
      awaitedChain: true,
    });
  });

  it('is false once the module has finished evaluating', async () => {
    expect(probe(import.meta.url)).toBe(false);
    expect(await probeAfterAwait(import.meta.url)).toBe(false);
  });
});
