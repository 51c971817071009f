import 'reflect-metadata';
import fc from 'fast-check';
import mimicFunction from 'mimic-function';
import { describe, expect, it } from 'vitest';
import { UnwrapLoopError, WrapperPropertyError } from '../src/errors.js';
import { defineIdentity, identityOf } from '../src/identity.js';
import {
  unwrap,
  updateWrapper,
  WRAPPER_ASSIGNMENTS,
  WRAPPER_UPDATES,
  wraps,
} from '../src/wraps.js';

const WRAPPED = Symbol.for('selfsame.wrapped');

/** CPython's `_default_update` fixture: a documented function with an attribute. */
function documented() {
  function f(a: number, b: number) {
    return a + b;
  }
  (f as typeof f & { attr: string }).attr = 'This is also a test';
  defineIdentity(f, {
    qualname: 'outer.<locals>.f',
    module: 'file:///mod.js',
    doc: 'This is a test',
  });
  function wrapper(...args: [number, number]) {
    return f(...args);
  }
  (wrapper as typeof wrapper & { dict_attr: string }).dict_attr = 'wrapper attr';
  return { f, wrapper };
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('the README example', () => {
  it('keeps name and length, and unwraps to the original', () => {
    const calls: string[] = [];
    function logged<F extends (...args: never[]) => unknown>(fn: F): F {
      return wraps(fn)(function (this: unknown, ...args: Parameters<F>) {
        calls.push(`calling ${fn.name}`);
        return Reflect.apply(fn, this, args);
      });
    }
    function original(a: number, b: number) {
      return a + b;
    }
    const add = logged(original);
    expect(add(2, 3)).toBe(5);
    expect(calls).toEqual(['calling original']);
    expect([add.name, add.length]).toEqual(['original', 2]);
    expect(identityOf(add).wrapped === unwrap(add)).toBe(true);
    expect(unwrap(add)).toBe(original);
  });
});

describe('WRAPPER_ASSIGNMENTS and WRAPPER_UPDATES', () => {
  it('lists the identity fields, frozen', () => {
    expect(WRAPPER_ASSIGNMENTS).toEqual(['name', 'length', 'qualname', 'module', 'doc']);
    expect(Object.isFrozen(WRAPPER_ASSIGNMENTS)).toBe(true);
  });

  it('lists the merges, frozen', () => {
    expect(WRAPPER_UPDATES).toEqual(['properties', 'metadata']);
    expect(Object.isFrozen(WRAPPER_UPDATES)).toBe(true);
  });
});

describe('updateWrapper, the cases of CPython TestUpdateWrapper', () => {
  it('default update: copies name, length, qualname, module, doc, properties, and links', () => {
    const { f, wrapper } = documented();
    const result = updateWrapper(wrapper, f);
    expect(result).toBe(wrapper);
    expect(wrapper.name).toBe('f');
    expect(wrapper.length).toBe(2);
    expect(identityOf(wrapper)).toEqual({
      name: 'f',
      qualname: 'outer.<locals>.f',
      module: 'file:///mod.js',
      doc: 'This is a test',
      wrapped: f,
    });
    expect((wrapper as unknown as { attr: string }).attr).toBe('This is also a test');
    expect((wrapper as unknown as { dict_attr: string }).dict_attr).toBe('wrapper attr');
    expect(wrapper(1, 2)).toBe(3);
  });

  it('doc update: copies the doc', () => {
    function f() {}
    defineIdentity(f, { doc: 'This is a test' });
    const wrapper = updateWrapper(function wrapper() {}, f);
    expect(identityOf(wrapper).doc).toBe('This is a test');
  });

  it('no update: `assigned: []` and `updated: []` copy nothing but still link', () => {
    const { f, wrapper } = documented();
    updateWrapper(wrapper, f, { assigned: [], updated: [] });
    expect(wrapper.name).toBe('wrapper');
    expect(wrapper.length).toBe(0);
    expect(identityOf(wrapper)).toEqual({
      name: 'wrapper',
      qualname: 'wrapper',
      module: undefined,
      doc: undefined,
      wrapped: f,
    });
    expect(Object.hasOwn(wrapper, 'attr')).toBe(false);
  });

  it('selective update: copies only the listed fields and merges', () => {
    const { f, wrapper } = documented();
    updateWrapper(wrapper, f, { assigned: ['attr'], updated: ['properties'] });
    expect(wrapper.name).toBe('wrapper');
    expect(identityOf(wrapper).qualname).toBe('wrapper');
    expect(identityOf(wrapper).doc).toBe(undefined);
    expect((wrapper as unknown as { attr: string }).attr).toBe('This is also a test');
    expect((wrapper as unknown as { dict_attr: string }).dict_attr).toBe('wrapper attr');
    expect(identityOf(wrapper).wrapped).toBe(f);
  });

  it('missing attributes: a field the wrapped function lacks is skipped', () => {
    const f = () => 1;
    Reflect.deleteProperty(f, 'name');
    function wrapper() {
      return 2;
    }
    defineIdentity(wrapper, { qualname: 'kept.wrapper', doc: 'kept' });
    updateWrapper(wrapper, f, { assigned: [...WRAPPER_ASSIGNMENTS, 'absent', Symbol('absent')] });
    expect(wrapper.name).toBe('wrapper');
    expect(identityOf(wrapper).qualname).toBe('kept.wrapper');
    expect(identityOf(wrapper).doc).toBe('kept');
    expect(Object.hasOwn(wrapper, 'absent')).toBe(false);
  });

  it('updated target missing: a frozen wrapper is refused before anything changes', () => {
    const { f } = documented();
    const wrapper = Object.freeze(function wrapper() {});
    const error = thrown(() => updateWrapper(wrapper, f));
    expect(error).toBeInstanceOf(WrapperPropertyError);
    expect(error).toMatchObject({ code: 'ERR_SELFSAME_WRAPPER_PROPERTY', key: WRAPPED });
    expect(error.message).toBe(
      'Cannot set the wrapped link on the wrapper of `outer.<locals>.f` (module `file:///mod.js`): the function is not extensible (frozen, sealed or preventExtensions)',
    );
    expect(wrapper.name).toBe('wrapper');
  });

  it('builtin wrapped: copies `Math.max`', () => {
    const wrapper = updateWrapper(function wrapper(...args: number[]) {
      return Math.max(...args);
    }, Math.max);
    expect(wrapper.name).toBe('max');
    expect(wrapper.length).toBe(2);
    expect(identityOf(wrapper)).toMatchObject({ qualname: 'max', doc: undefined });
    expect(wrapper(1, 3, 2)).toBe(3);
    expect(unwrap(wrapper)).toBe(Math.max);
  });

  it('class wrapped: copies a class, its statics and keeps the wrapper constructible', () => {
    class Point {
      static origin = 'zero';
      static describe() {
        return 'a point';
      }
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const wrapper = updateWrapper(function Wrapper(x: number, y: number) {
      return new Point(x, y);
    }, Point);
    expect(wrapper.name).toBe('Point');
    expect(wrapper.length).toBe(2);
    expect(wrapper.origin).toBe('zero');
    expect(wrapper.describe()).toBe('a point');
    expect(new wrapper(1, 2)).toBeInstanceOf(Point);
    expect(wrapper.prototype).not.toBe(Point.prototype);
  });
});

describe('wraps, the cases of CPython TestWraps', () => {
  it('default update through the decorator form', () => {
    const { f } = documented();
    const wrapper = wraps(f)(function wrapper(...args: [number, number]) {
      return f(...args);
    });
    expect(wrapper.name).toBe('f');
    expect(identityOf(wrapper).doc).toBe('This is a test');
    expect(identityOf(wrapper).wrapped).toBe(f);
    expect(wrapper(2, 3)).toBe(5);
  });

  it('no update through the decorator form', () => {
    const { f } = documented();
    const wrapper = wraps(f, { assigned: [], updated: [] })(function wrapper() {});
    expect(wrapper.name).toBe('wrapper');
    expect(identityOf(wrapper).wrapped).toBe(f);
  });

  it('doc update through the decorator form', () => {
    function f() {}
    defineIdentity(f, { doc: 'This is a test' });
    const wrapper = wraps(f)(function wrapper() {});
    expect(identityOf(wrapper).doc).toBe('This is a test');
  });

  it('selective update through the decorator form', () => {
    const { f } = documented();
    const wrapper = wraps(f, { assigned: ['attr'], updated: ['properties'] })(
      Object.assign(function wrapper() {}, { dict_attr: 'wrapper attr' }),
    );
    expect(wrapper.name).toBe('wrapper');
    expect(identityOf(wrapper).doc).toBe(undefined);
    expect((wrapper as unknown as { attr: string }).attr).toBe('This is also a test');
    expect((wrapper as unknown as { dict_attr: string }).dict_attr).toBe('wrapper attr');
    expect(identityOf(wrapper).wrapped).toBe(f);
  });

  it('checks its options when called, not when applied', () => {
    expect(() => wraps(() => {}, { updated: ['__dict__' as never] })).toThrow(
      new TypeError(
        'Expected `options.updated[0]` to be `properties` or `metadata`, got `"__dict__"` (string)',
      ),
    );
  });

  it('keeps the lists as they were when called', () => {
    const assigned: string[] = ['name'];
    const apply = wraps(function source() {}, { assigned, updated: [] });
    assigned.push('length');
    const wrapper = apply(function wrapper(_a: number) {});
    expect([wrapper.name, wrapper.length]).toEqual(['source', 1]);
  });

  it('checks the wrapper when applied', () => {
    const apply = wraps(() => {});
    expect(() => apply(42 as never)).toThrow(
      new TypeError('Expected `wrapper` to be a function, got `42` (number)'),
    );
  });
});

describe('updateWrapper, JavaScript functions', () => {
  it('redefines the non-writable `name` and `length` keeping their attributes', () => {
    function task(_a: number, _b: number, _c: number) {}
    const wrapper = updateWrapper(() => {}, task);
    expect(Object.getOwnPropertyDescriptor(wrapper, 'name')).toEqual({
      value: 'task',
      writable: false,
      enumerable: false,
      configurable: true,
    });
    expect(Object.getOwnPropertyDescriptor(wrapper, 'length')).toEqual({
      value: 3,
      writable: false,
      enumerable: false,
      configurable: true,
    });
  });

  it('shows the wrapped name in stack traces', () => {
    function meaninglessTask() {}
    const wrapper = updateWrapper(function wrapper() {
      throw new Error('inside');
    }, meaninglessTask);
    const stack = thrown(wrapper).stack?.split('\n') ?? [];
    expect(stack[1]).toMatch(/^ {4}at meaninglessTask \(/);
  });

  it('keeps the wrapper’s own source in `toString()`', () => {
    function original() {
      return 'original';
    }
    const wrapper = function wrapper() {
      return 'wrapper';
    };
    const source = Function.prototype.toString.call(wrapper);
    updateWrapper(wrapper, original);
    expect(String(wrapper)).toBe(source);
    expect(String(wrapper)).toMatch(/return .wrapper./);
    expect(String(wrapper)).not.toMatch(/original/);
  });

  it('keeps its own source when the wrapped function prints as another (mimic-function)', () => {
    function original() {
      return 'original';
    }
    const mimicked = mimicFunction(function mimicked() {
      return original();
    }, original);
    const fake = { [Symbol.toPrimitive]: () => 'fake', toString: () => 'fake' };
    Object.defineProperty(mimicked, Symbol.toPrimitive, { value: fake[Symbol.toPrimitive] });
    const wrapper = function wrapper() {
      return mimicked();
    };
    const source = Function.prototype.toString.call(wrapper);
    updateWrapper(wrapper, mimicked);
    expect(String(mimicked)).toBe('fake');
    expect(String(wrapper)).toBe(source);
    expect(wrapper.toString()).toBe(source);
  });

  it('links to `wrapped` itself even when `wrapped` has a link of its own', () => {
    function inner() {}
    const middle = updateWrapper(function middle() {}, inner);
    const outer = updateWrapper(function outer() {}, middle, {
      assigned: [...WRAPPER_ASSIGNMENTS, WRAPPED],
    });
    expect(identityOf(outer).wrapped).toBe(middle);
    expect(identityOf(middle).wrapped).toBe(inner);
    expect(Object.getOwnPropertyDescriptor(outer, WRAPPED)).toEqual({
      value: middle,
      writable: false,
      enumerable: false,
      configurable: true,
    });
  });

  it('refuses a function wrapping itself', () => {
    function f() {}
    expect(() => updateWrapper(f, f)).toThrow(
      new TypeError(
        'Expected `wrapper` to be another function than `wrapped`, got function `f` for both',
      ),
    );
  });

  it('refuses a Proxy as either function, before any trap runs: `wrapped` never wraps itself', () => {
    function f() {}
    let traps = 0;
    const counting: Record<string, (...args: unknown[]) => unknown> = {};
    for (const trap of Object.getOwnPropertyNames(Reflect)) {
      counting[trap] = (...args: unknown[]) => {
        traps += 1;
        return (Reflect[trap as keyof typeof Reflect] as (...a: unknown[]) => unknown)(...args);
      };
    }
    const proxy = new Proxy(f, counting as ProxyHandler<typeof f>);
    expect(() => updateWrapper(proxy, f)).toThrow(
      new TypeError(
        'Expected `wrapper` to be a function, got a Proxy (its traps are never run); wrap the function it stands for',
      ),
    );
    expect(() => wraps(proxy)(function wrapper() {})).toThrow(
      new TypeError(
        'Expected `wrapped` to be a function, got a Proxy (its traps are never run); wrap the function it stands for',
      ),
    );
    expect(traps).toBe(0);
    expect(identityOf(f).wrapped).toBeUndefined();
    expect(unwrap(f)).toBe(f);
  });
});

describe('updateWrapper, kinds of functions', () => {
  it('wraps an async function', async () => {
    async function fetchCat(id: number) {
      return `cat ${id}`;
    }
    const wrapper = wraps(fetchCat)(async function wrapper(id: number) {
      return (await fetchCat(id)).toUpperCase();
    });
    expect(wrapper.name).toBe('fetchCat');
    expect(wrapper.length).toBe(1);
    await expect(wrapper(7)).resolves.toBe('CAT 7');
  });

  it('wraps a generator function', () => {
    function* count(limit: number) {
      for (let index = 0; index < limit; index++) yield index;
    }
    const wrapper = wraps(count)(function* wrapper(limit: number) {
      yield* count(limit);
    });
    expect(wrapper.name).toBe('count');
    expect([...wrapper(3)]).toEqual([0, 1, 2]);
  });

  it('wraps an arrow function with an arrow', () => {
    const double = (value: number) => value * 2;
    const wrapper = wraps(double)((value: number) => double(value) + 1);
    expect(wrapper.name).toBe('double');
    expect(Object.hasOwn(wrapper, 'prototype')).toBe(false);
    expect(wrapper(2)).toBe(5);
  });

  it('wraps a bound function, keeping its `bound` name and bound arity', () => {
    function scale(this: { factor: number }, a: number, b: number) {
      return (a + b) * this.factor;
    }
    const bound = scale.bind({ factor: 10 }, 1);
    const wrapper = wraps(bound)((b: number) => bound(b));
    expect(wrapper.name).toBe('bound scale');
    expect(wrapper.length).toBe(1);
    expect(wrapper(2)).toBe(30);
    expect(unwrap(wrapper)).toBe(bound);
  });

  it('wraps a class constructor with a class, keeping `new` and statics', () => {
    class Cat {
      static count = 0;
      constructor(readonly name: string) {
        Cat.count += 1;
      }
    }
    const Wrapper = wraps(Cat)(
      class Wrapper extends Cat {
        constructor(name: string) {
          super(name.toUpperCase());
        }
      },
    );
    expect(Wrapper.name).toBe('Cat');
    expect(Wrapper.length).toBe(1);
    expect(new Wrapper('tom').name).toBe('TOM');
    // Values are copied when decorating, as `__dict__.update` copies them.
    expect(Cat.count).toBe(1);
    expect(Object.getOwnPropertyDescriptor(Wrapper, 'count')).toEqual({
      value: 0,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(unwrap(Wrapper)).toBe(Cat);
  });
});

describe('updateWrapper, copying properties', () => {
  it('moves an accessor as an accessor, never invoking its getter or setter', () => {
    let gets = 0;
    let sets = 0;
    function source() {}
    const get = () => {
      gets += 1;
      return 'value';
    };
    const set = () => {
      sets += 1;
    };
    Object.defineProperty(source, 'lazy', { get, set, enumerable: true, configurable: true });
    Object.defineProperty(source, 'name', { get, configurable: true });
    const wrapper = updateWrapper(function wrapper() {}, source);
    expect(gets).toBe(0);
    expect(sets).toBe(0);
    expect(Object.getOwnPropertyDescriptor(wrapper, 'lazy')).toEqual({
      get,
      set,
      enumerable: true,
      configurable: true,
    });
    expect(Object.getOwnPropertyDescriptor(wrapper, 'name')).toEqual({
      get,
      set: undefined,
      enumerable: false,
      configurable: true,
    });
  });

  it('copies string and symbol keys with their descriptors', () => {
    const tag = Symbol('tag');
    const hidden = Symbol('hidden');
    function source() {}
    Object.assign(source, { plain: 1, [tag]: 'tagged' });
    Object.defineProperty(source, hidden, { value: 'h', writable: false, enumerable: false });
    Object.defineProperty(source, 'fixed', { value: 'f', enumerable: true });
    const wrapper = updateWrapper(function wrapper() {}, source);
    for (const key of ['plain', tag, hidden, 'fixed']) {
      expect(Object.getOwnPropertyDescriptor(wrapper, key)).toEqual(
        Object.getOwnPropertyDescriptor(source, key),
      );
    }
  });

  it('copies an own `__proto__` key as a property, leaving the prototype alone', () => {
    const payload = { polluted: true };
    function source() {}
    Object.defineProperty(source, '__proto__', {
      value: payload,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    const wrapper = updateWrapper(function wrapper() {}, source);
    expect(Object.getPrototypeOf(wrapper)).toBe(Function.prototype);
    expect(Object.getOwnPropertyDescriptor(wrapper, '__proto__')?.value).toBe(payload);
    expect((wrapper as unknown as { polluted?: boolean }).polluted).toBe(undefined);
  });

  it('merges over the wrapper’s own configurable property, as `__dict__.update` does', () => {
    function source() {}
    Object.assign(source, { shared: 'from wrapped' });
    const wrapper = Object.assign(function wrapper() {}, { shared: 'from wrapper', own: 1 });
    updateWrapper(wrapper, source);
    expect(wrapper.shared).toBe('from wrapped');
    expect(wrapper.own).toBe(1);
  });

  it('creates a plain property by definition when the wrapper inherits a setter of that name', () => {
    let sets = 0;
    const base = function base() {};
    Object.defineProperty(base, 'trap', {
      set() {
        sets += 1;
      },
      configurable: true,
    });
    const wrapper = function wrapper() {};
    Object.setPrototypeOf(wrapper, base);
    function source() {}
    Object.assign(source, { trap: 'value' });
    updateWrapper(wrapper, source);
    expect(sets).toBe(0);
    expect(Object.getOwnPropertyDescriptor(wrapper, 'trap')?.value).toBe('value');
  });

  it('does not copy `prototype`, nor selfsame slots other than the identity fields', () => {
    const marker = Symbol.for('selfsame.some-future-slot');
    function source() {}
    Object.defineProperty(source, marker, { value: 'per function', configurable: true });
    const wrapper = function wrapper() {};
    const prototype = wrapper.prototype;
    updateWrapper(wrapper, source);
    expect(wrapper.prototype).toBe(prototype);
    expect(Object.hasOwn(wrapper, marker)).toBe(false);
  });

  it('copies the standard decorators’ `Symbol.metadata` object with `metadata` only', () => {
    const metadata = { route: '/cats' };
    function source() {}
    Object.defineProperty(source, Symbol.metadata, { value: metadata, configurable: true });
    const read = (fn: Function) => (fn as unknown as Record<symbol, unknown>)[Symbol.metadata];
    expect(read(updateWrapper(function wrapper() {}, source))).toBe(metadata);
    expect(read(updateWrapper(function wrapper() {}, source, { updated: ['metadata'] }))).toBe(
      metadata,
    );
    expect(read(updateWrapper(function wrapper() {}, source, { updated: ['properties'] }))).toBe(
      undefined,
    );
  });

  it('reports a non-configurable own property of the wrapper, naming it and the function', () => {
    function source() {}
    Object.assign(source, { locked: 'new' });
    const wrapper = function wrapper() {};
    Object.defineProperty(wrapper, 'locked', { value: 'old', writable: false });
    const error = thrown(() => updateWrapper(wrapper, source));
    expect(error).toBeInstanceOf(WrapperPropertyError);
    expect(error).toMatchObject({ code: 'ERR_SELFSAME_WRAPPER_PROPERTY', key: 'locked' });
    expect(error.message).toBe(
      'Cannot set the property `locked` on the wrapper of `source`: its own property is not configurable',
    );
  });

  it('reports a non-configurable `name` on the wrapper by its field name', () => {
    function source() {}
    const wrapper = function wrapper() {};
    Object.defineProperty(wrapper, 'name', { configurable: false });
    const error = thrown(() => updateWrapper(wrapper, source));
    expect(error).toMatchObject({ code: 'ERR_SELFSAME_WRAPPER_PROPERTY', key: 'name' });
    expect(error.message).toBe(
      'Cannot set the name on the wrapper of `source`: its own property is not configurable',
    );
  });

  it('refuses a sealed wrapper and one made non-extensible, like a frozen one', () => {
    function source() {}
    for (const lock of [Object.seal, Object.preventExtensions]) {
      const wrapper = lock(function wrapper() {});
      expect(() => updateWrapper(wrapper, source)).toThrow(WrapperPropertyError);
      expect(wrapper.name).toBe('wrapper');
    }
  });
});

describe('updateWrapper, reflect-metadata loaded before selfsame', () => {
  it('copies string and symbol keys defined on the function object', () => {
    const guards = Symbol('guards');
    class CatsController {
      findAll() {
        return ['tom'];
      }
    }
    const route = CatsController.prototype.findAll;
    Reflect.defineMetadata('path', '/cats', route);
    Reflect.defineMetadata('method', 0, route);
    Reflect.defineMetadata(guards, ['AuthGuard'], route);
    const wrapper = wraps(route)(function findAll(this: CatsController) {
      return route.call(this);
    });
    expect(Reflect.getOwnMetadataKeys(wrapper)).toEqual(['path', 'method', guards]);
    expect(Reflect.getOwnMetadata('path', wrapper)).toBe('/cats');
    expect(Reflect.getOwnMetadata('method', wrapper)).toBe(0);
    expect(Reflect.getOwnMetadata(guards, wrapper)).toEqual(['AuthGuard']);
  });

  it('keeps the wrapper’s own metadata, the wrapped function’s winning on a shared key', () => {
    function route() {}
    Reflect.defineMetadata('path', '/cats', route);
    const wrapper = function wrapper() {};
    Reflect.defineMetadata('path', '/dogs', wrapper);
    Reflect.defineMetadata('timed', true, wrapper);
    updateWrapper(wrapper, route);
    expect(Reflect.getOwnMetadata('path', wrapper)).toBe('/cats');
    expect(Reflect.getOwnMetadata('timed', wrapper)).toBe(true);
  });

  it('leaves metadata on `(prototype, key)` pairs where it is', () => {
    class Cats {
      find() {}
    }
    Reflect.defineMetadata('design:returntype', Array, Cats.prototype, 'find');
    const wrapper = updateWrapper(function find() {}, Cats.prototype.find);
    expect(Reflect.getOwnMetadataKeys(wrapper)).toEqual([]);
    expect(Reflect.getOwnMetadata('design:returntype', Cats.prototype, 'find')).toBe(Array);
  });
});

describe('updateWrapper, argument checks', () => {
  const f = () => {};

  it.each([
    ['wrapper', () => updateWrapper(null as never, f), '`null`'],
    ['wrapped', () => updateWrapper(f, 'f' as never), '`"f"` (string)'],
    ['wrapped', () => wraps({} as never), 'an object'],
  ])('names `%s` when it is not a function', (argument, run, received) => {
    expect(run).toThrow(
      new TypeError(`Expected \`${argument}\` to be a function, got ${received}`),
    );
  });

  it('refuses options that are not an object', () => {
    expect(() => updateWrapper(function w() {}, f, [] as never)).toThrow(
      new TypeError('Expected `options` to be an object, got an array of length 0'),
    );
  });

  it('refuses an unknown option', () => {
    expect(() => updateWrapper(function w() {}, f, { update: [] } as never)).toThrow(
      new TypeError('Unknown option `options.update`; expected one of `assigned`, `updated`'),
    );
  });

  it('refuses an `assigned` that is not a list', () => {
    expect(() => updateWrapper(function w() {}, f, { assigned: 'name' as never })).toThrow(
      new TypeError(
        'Expected `options.assigned` to be a list of property keys (strings or symbols), got `"name"` (string)',
      ),
    );
  });

  it('refuses an `assigned` entry that is not a property key', () => {
    expect(() => updateWrapper(function w() {}, f, { assigned: ['name', 1 as never] })).toThrow(
      new TypeError(
        'Expected `options.assigned[1]` to be a property key (a string or a symbol), got `1` (number)',
      ),
    );
  });

  it('refuses an `updated` that is not a list', () => {
    expect(() => updateWrapper(function w() {}, f, { updated: new Set() as never })).toThrow(
      new TypeError(
        'Expected `options.updated` to be a list of `properties` and `metadata`, got an object',
      ),
    );
  });

  it('refuses an unknown `updated` entry', () => {
    expect(() =>
      updateWrapper(function w() {}, f, { updated: ['metadata', '__dict__' as never] }),
    ).toThrow(
      new TypeError(
        'Expected `options.updated[1]` to be `properties` or `metadata`, got `"__dict__"` (string)',
      ),
    );
  });
});

describe('unwrap', () => {
  function chain() {
    function inner() {}
    const middle = updateWrapper(function middle() {}, inner, { assigned: [] });
    const outer = updateWrapper(function outer() {}, middle, { assigned: [] });
    return { inner, middle, outer };
  }

  it('follows the chain to the innermost function', () => {
    const { inner, outer } = chain();
    expect(unwrap(outer)).toBe(inner);
  });

  it('returns a function that wraps nothing as it is', () => {
    function alone() {}
    expect(unwrap(alone)).toBe(alone);
  });

  it('stops where `stop` returns true, calling it only on wrappers', () => {
    const { middle, outer } = chain();
    const seen: string[] = [];
    const result = unwrap(outer, {
      stop: (fn) => {
        seen.push(fn.name);
        return fn.name === 'middle';
      },
    });
    expect(result).toBe(middle);
    expect(seen).toEqual(['outer', 'middle']);
  });

  it('reports a loop naming the function by qualname', () => {
    function a() {}
    function b() {}
    defineIdentity(a, { qualname: 'Jobs.a', module: 'file:///jobs.js' });
    Object.defineProperty(a, WRAPPED, { value: b, configurable: true });
    Object.defineProperty(b, WRAPPED, { value: a, configurable: true });
    const error = thrown(() => unwrap(a));
    expect(error).toBeInstanceOf(UnwrapLoopError);
    expect(error).toMatchObject({ code: 'ERR_SELFSAME_UNWRAP_LOOP' });
    expect(error.message).toBe(
      'Wrapper loop when unwrapping `Jobs.a` (module `file:///jobs.js`): the chain of wrapped functions comes back to `Jobs.a` (module `file:///jobs.js`)',
    );
  });

  it('never runs a getter in the link slot', () => {
    let reads = 0;
    function f() {}
    Object.defineProperty(f, WRAPPED, {
      get() {
        reads += 1;
        return () => {};
      },
    });
    expect(unwrap(f)).toBe(f);
    expect(reads).toBe(0);
  });

  it('checks its arguments', () => {
    expect(() => unwrap(undefined as never)).toThrow(
      new TypeError('Expected `fn` to be a function, got `undefined`'),
    );
    expect(() => unwrap(() => {}, { stop: true as never })).toThrow(
      new TypeError('Expected `options.stop` to be a function, got `true` (boolean)'),
    );
    expect(() => unwrap(() => {}, { until: () => true } as never)).toThrow(
      new TypeError('Unknown option `options.until`; expected one of `stop`'),
    );
  });
});

describe('updateWrapper, property', () => {
  // Keys the merge leaves alone; everything else the wrapped function owns is copied.
  const SKIPPED = new Set<PropertyKey>([
    'prototype',
    'arguments',
    'caller',
    'toString',
    Symbol.toPrimitive,
  ]);
  const key = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      'name',
      'length',
      'prototype',
      '__proto__',
      'constructor',
      'call',
      'toString',
      'valueOf',
      'arguments',
      'caller',
    ),
    fc.string({ maxLength: 4 }).map((description) => Symbol(description)),
    fc.constantFrom(Symbol.iterator, Symbol.toPrimitive, Symbol.for('shared'), Symbol.metadata),
  );
  const data = fc.record({
    kind: fc.constant('data' as const),
    value: fc.anything(),
    writable: fc.boolean(),
    enumerable: fc.boolean(),
    configurable: fc.boolean(),
  });
  const accessor = fc.record({
    kind: fc.constant('accessor' as const),
    get: fc.boolean(),
    set: fc.boolean(),
    enumerable: fc.boolean(),
    configurable: fc.boolean(),
  });
  const properties = fc.uniqueArray(fc.tuple(key, fc.oneof(data, accessor)), {
    selector: ([name]) => name,
    maxLength: 10,
  });

  function snapshot(fn: Function): Map<string | symbol, PropertyDescriptor | undefined> {
    return new Map(
      Reflect.ownKeys(fn).map((name) => [name, Reflect.getOwnPropertyDescriptor(fn, name)]),
    );
  }

  it('copies every own descriptor but the skipped ones, runs no accessor, changes nothing else', () => {
    fc.assert(
      fc.property(properties, (entries) => {
        let runs = 0;
        const wrapped = (a: number, b: number) => a + b;
        for (const [name, spec] of entries) {
          const { enumerable, configurable } = spec;
          Object.defineProperty(
            wrapped,
            name,
            spec.kind === 'data'
              ? { value: spec.value, writable: spec.writable, enumerable, configurable }
              : {
                  ...(spec.get && { get: () => (runs += 1) }),
                  ...(spec.set && { set: () => (runs += 1) }),
                  enumerable,
                  configurable,
                },
          );
        }
        const wrapper = function wrapper(this: unknown, ...args: [number, number]) {
          return Reflect.apply(wrapped, this, args);
        };
        const before = snapshot(wrapper);
        const source = Function.prototype.toString.call(wrapper);
        const planned = function planned() {};

        expect(updateWrapper(wrapper, wrapped)).toBe(wrapper);
        updateWrapper(planned, wrapped, {
          assigned: [...WRAPPER_ASSIGNMENTS],
          updated: [...WRAPPER_UPDATES],
        });

        const after = snapshot(wrapper);
        const copied = Reflect.ownKeys(wrapped).filter((name) => !SKIPPED.has(name));
        for (const name of copied) {
          expect(after.get(name)).toEqual(Reflect.getOwnPropertyDescriptor(wrapped, name));
          expect(Reflect.getOwnPropertyDescriptor(planned, name)).toEqual(after.get(name));
        }
        for (const [name, descriptor] of before) {
          if (!copied.includes(name)) expect(after.get(name)).toEqual(descriptor);
        }
        expect(new Set(after.keys())).toEqual(new Set([...before.keys(), ...copied, WRAPPED]));
        expect(after.get(WRAPPED)?.value).toBe(wrapped);
        expect(Object.getPrototypeOf(wrapper)).toBe(Function.prototype);
        expect(Object.isExtensible(wrapper)).toBe(true);
        expect(Function.prototype.toString.call(wrapper)).toBe(source);
        expect(String(wrapper)).toBe(source);
        expect(wrapper(2, 3)).toBe(5);
        expect(runs).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
