import { describe, expect, it } from 'vitest';
import { decorationSite } from '../src/internal/call-site.js';

// Read at this module's top level.
const topLevel = decorationSite(false);

describe('decorationSite', () => {
  it('names the module whose top level applied the decorator', () => {
    expect(topLevel).toEqual({ module: import.meta.url, enclosing: undefined });
  });

  it('names the function whose body applied it', () => {
    function makeTask() {
      return decorationSite(false);
    }
    expect(makeTask()).toEqual({ module: import.meta.url, enclosing: 'makeTask' });
  });

  it('names an anonymous function `<lambda>`', () => {
    expect([0].map(() => decorationSite(false))[0]).toEqual({
      module: import.meta.url,
      enclosing: '<lambda>',
    });
  });

  it('keeps the last identifier of a name V8 composed', () => {
    const tasks = {
      build: () => decorationSite(false),
    };
    expect(tasks.build().enclosing).toBe('build');
  });

  it('skips the frames of compiler decorator helpers', () => {
    function __decorate(apply: () => unknown) {
      return apply();
    }
    function defineTasks() {
      return __decorate(function __esDecorate() {
        return decorationSite(true);
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
      decorationSite(false);
      expect(Error.prepareStackTrace).toBe(prepare);
      expect(Error.stackTraceLimit).toBe(3);
      expect(new Error('x').stack).toBe('custom 3');
    } finally {
      Error.prepareStackTrace = previous.prepare;
      Error.stackTraceLimit = previous.limit;
    }
  });
});
