import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDecorator } from '../src/decorator/create-decorator.js';
import { defineIdentity, identityOf } from '../src/identity.js';

const passThrough = createDecorator(
  'passThrough',
  (fn) =>
    function wrapper(this: unknown, ...args: unknown[]) {
      return Reflect.apply(fn, this, args);
    },
);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createDecorator, the decoration site', () => {
  it('is not read from the call stack for a function that carries its qualname and module', () => {
    const known = defineIdentity((x: number) => x * 2, {
      qualname: 'double',
      module: 'file:///tasks/double.js',
    });
    const capture = vi.spyOn(Error, 'captureStackTrace');
    const wrapped = passThrough(known);
    expect(capture).not.toHaveBeenCalled();
    expect(identityOf(wrapped)).toMatchObject({
      qualname: 'double',
      module: 'file:///tasks/double.js',
    });
    // A second layer sees the first one's wrapper, which carries both.
    expect(identityOf(passThrough(wrapped)).qualname).toBe('double');
    expect(capture).not.toHaveBeenCalled();
  });

  it('is read for a function that lacks its module, and gives it the module that decorated it', () => {
    function triple(x: number) {
      return x * 3;
    }
    defineIdentity(triple, { qualname: 'triple' });
    const capture = vi.spyOn(Error, 'captureStackTrace');
    const wrapped = passThrough(triple);
    expect(capture).toHaveBeenCalled();
    expect(identityOf(wrapped)).toMatchObject({ qualname: 'triple', module: import.meta.url });
  });

  it('is read for a function that lacks its qualname, and names it by its enclosing function', () => {
    function makeTask() {
      return passThrough(function step() {});
    }
    expect(identityOf(makeTask())).toMatchObject({
      qualname: 'makeTask.<locals>.step',
      module: import.meta.url,
    });
  });
});
