import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDecorator } from '../src/decorator/create-decorator.js';
import { defineIdentity, identityOf } from '../src/identity.js';
import { trackExecutionTime } from '../src/track-execution-time/track-execution-time.js';

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

  it('is read once, by the decorator the user called, for a plain function', () => {
    const capture = vi.spyOn(Error, 'captureStackTrace');
    const wrapped = passThrough(function quadruple(x: number) {
      return x * 4;
    });
    expect(capture).toHaveBeenCalledTimes(1);
    // Below the decorator itself: none of selfsame's frames were read.
    expect(capture.mock.calls[0]?.[1]).toBe(passThrough);
    // The test's own arrow function is the enclosing one.
    expect(identityOf(wrapped)).toMatchObject({
      qualname: '<lambda>.<locals>.quadruple',
      module: import.meta.url,
    });
  });

  it('is read below the decorator `dec(options)` returned, for a configured decorator', () => {
    const configured = passThrough();
    const capture = vi.spyOn(Error, 'captureStackTrace');
    function makeTask() {
      return configured(function step() {});
    }
    expect(identityOf(makeTask())).toMatchObject({
      qualname: 'makeTask.<locals>.step',
      module: import.meta.url,
    });
    expect(capture.mock.calls.map((call) => call[1])).toEqual([configured]);
  });

  it("names the caller's function however deep selfsame's own frames are", () => {
    // trackExecutionTime is itself a createDecorator decorator: its frames and the factory's are
    // never read, only the caller's.
    function makeTimed() {
      return trackExecutionTime({ logger: false })(function timed() {});
    }
    expect(identityOf(makeTimed())).toMatchObject({
      qualname: 'makeTimed.<locals>.timed',
      module: import.meta.url,
    });
  });

  it('finds the module through a chain of calls from the decorated function to the decorator', () => {
    // A user's own decorator, applied from a chain of helpers of the user's, still records the
    // module; the nearest function of the user's names the `<locals>`, as before.
    const mine = (fn: Function) => passThrough(fn as (...args: unknown[]) => unknown);
    const viaOne = (fn: Function) => mine(fn);
    function viaTwo(fn: Function) {
      return viaOne(fn);
    }
    expect(identityOf(viaTwo(function deep() {}))).toMatchObject({
      qualname: 'mine.<locals>.deep',
      module: import.meta.url,
    });
  });

  it("skips a user's class decorator that a compiler helper called, finding the class's own site", () => {
    // What tsc emits for `@logged class Task {}`, with `logged` built on a selfsame decorator.
    function logged<C extends Function>(target: C): C {
      return passThrough(target as unknown as (...args: unknown[]) => unknown) as unknown as C;
    }
    function __decorate(decorators: Function[], target: Function): Function {
      let value = target;
      for (let index = decorators.length - 1; index >= 0; index--) {
        value = (decorators[index] as Function)(value);
      }
      return value;
    }
    function defineTask() {
      class Task {}
      return __decorate([logged], Task);
    }
    expect(identityOf(defineTask())).toMatchObject({
      qualname: 'defineTask.<locals>.Task',
      module: import.meta.url,
    });
  });

  it('reads the site itself for a legacy descriptor whose value sits behind a getter, and finds the same one', () => {
    function run() {}
    class Box {}
    const capture = vi.spyOn(Error, 'captureStackTrace');
    function defineRun(descriptor: PropertyDescriptor): Function {
      return (passThrough(Box.prototype, 'run', descriptor) as PropertyDescriptor).value;
    }
    const plain = defineRun({ value: run, writable: true, configurable: true });
    const readsForPlain = capture.mock.calls.length;
    // The decorator sees no function it can read without running the getter: the site is read
    // later, once the getter has run, as often and as deep as for a plain descriptor.
    const behindGetter = defineRun({
      get value() {
        return run;
      },
      writable: true,
      configurable: true,
    } as PropertyDescriptor);
    expect(capture.mock.calls.length - readsForPlain).toBe(readsForPlain);
    expect(identityOf(behindGetter)).toEqual(identityOf(plain));
    expect(identityOf(plain)).toMatchObject({
      qualname: 'defineRun.<locals>.Box.run',
      module: import.meta.url,
    });
  });

  it('reads deeper below the decorator when its first frames are all helpers', () => {
    class Box {}
    function run() {}
    // Ten helper frames between the decorator and the class definition: more than the first read.
    function __decorate(depth: number): PropertyDescriptor {
      return depth === 0
        ? (passThrough(Box.prototype, 'run', {
            value: run,
            configurable: true,
          }) as PropertyDescriptor)
        : __decorate(depth - 1);
    }
    function defineDeep() {
      return __decorate(10).value as Function;
    }
    expect(identityOf(defineDeep())).toMatchObject({
      qualname: 'defineDeep.<locals>.Box.run',
      module: import.meta.url,
    });
  });
});
