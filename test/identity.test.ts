import { describe, expect, it } from 'vitest';
// The build, a second copy of selfsame in this process: identity must read the same across both.
import * as built from '../dist/index.js';
import { WrapperPropertyError } from '../src/errors.js';
import { defineIdentity, identityOf } from '../src/identity.js';
import { updateWrapper } from '../src/wraps.js';

const QUALNAME = Symbol.for('selfsame.qualname');

describe('identityOf', () => {
  it('falls back to `name` for the qualname', () => {
    function task() {}
    expect(identityOf(task)).toEqual({
      name: 'task',
      qualname: 'task',
      module: undefined,
      doc: undefined,
      wrapped: undefined,
    });
  });

  it('reports an anonymous function with empty name and qualname', () => {
    expect(identityOf((() => () => {})())).toMatchObject({ name: '', qualname: '' });
  });

  it('reports the function a wrapper wraps', () => {
    function inner() {}
    const outer = updateWrapper(function outer() {}, inner);
    expect(identityOf(outer).wrapped).toBe(inner);
  });

  it('never runs a getter found in a slot or in `name`', () => {
    let reads = 0;
    const get = () => {
      reads += 1;
      return 'Lie.lie';
    };
    function honest() {}
    Object.defineProperty(honest, QUALNAME, { get, configurable: true });
    Object.defineProperty(honest, 'name', { get, configurable: true });
    expect(identityOf(honest)).toMatchObject({ name: '', qualname: '' });
    expect(reads).toBe(0);
  });

  it('ignores a slot holding something else than a string', () => {
    function task() {}
    Object.defineProperty(task, QUALNAME, { value: 42, configurable: true });
    expect(identityOf(task).qualname).toBe('task');
  });

  it('refuses a non-function', () => {
    expect(() => identityOf({} as never)).toThrow(
      new TypeError('Expected `fn` to be a function, got an object'),
    );
  });

  it('reads identity set by another copy of selfsame, and the other way round', () => {
    function task() {}
    built.defineIdentity(task, { qualname: 'Jobs.task', module: 'file:///jobs.js', doc: 'Doc.' });
    const wrapper = built.wraps(task)(function wrapper() {});
    expect(identityOf(wrapper)).toEqual({
      name: 'task',
      qualname: 'Jobs.task',
      module: 'file:///jobs.js',
      doc: 'Doc.',
      wrapped: task,
    });
    function other() {}
    defineIdentity(other, { qualname: 'Jobs.other' });
    expect(built.identityOf(updateWrapper(function w() {}, other))).toMatchObject({
      qualname: 'Jobs.other',
      wrapped: other,
    });
    expect(built.unwrap(wrapper)).toBe(task);
  });
});

describe('defineIdentity', () => {
  it('sets qualname, module and doc', () => {
    const fn = defineIdentity(function run() {}, {
      qualname: 'Task.run',
      module: import.meta,
      doc: 'Runs.',
    });
    expect(identityOf(fn)).toMatchObject({
      qualname: 'Task.run',
      module: import.meta.url,
      doc: 'Runs.',
    });
  });

  it('returns the function itself', () => {
    function run() {}
    expect(defineIdentity(run, {})).toBe(run);
  });

  it('keeps a field left out or `undefined`', () => {
    const fn = defineIdentity(function run() {}, { qualname: 'Task.run', doc: 'Runs.' });
    defineIdentity(fn, { qualname: undefined, module: 'pkg/run' });
    expect(identityOf(fn)).toMatchObject({ qualname: 'Task.run', module: 'pkg/run', doc: 'Runs.' });
  });

  it('stores identity hidden, apart from user properties of the same names', () => {
    const fn = Object.assign(function run() {}, { qualname: 'mine', doc: 'mine' });
    defineIdentity(fn, { qualname: 'Task.run', doc: 'Runs.' });
    expect(Object.keys(fn)).toEqual(['qualname', 'doc']);
    expect(fn.qualname).toBe('mine');
    expect(Object.getOwnPropertyDescriptor(fn, QUALNAME)).toEqual({
      value: 'Task.run',
      writable: false,
      enumerable: false,
      configurable: true,
    });
  });

  it.each(['Task.run', 'outer.<locals>.inner', 'Counter.#increment', '$_.x9'])(
    'accepts the qualname `%s`',
    (qualname) => {
      expect(identityOf(defineIdentity(() => {}, { qualname })).qualname).toBe(qualname);
    },
  );

  it.each([
    ['', '`""` (string)'],
    ['a..b', '`"a..b"` (string)'],
    ['tâche', '`"tâche"` (string)'],
    ['run()', '`"run()"` (string)'],
    ['<Locals>', '`"<Locals>"` (string)'],
    [42, '`42` (number)'],
  ])('refuses the qualname %j', (qualname, received) => {
    expect(() => defineIdentity(() => {}, { qualname: qualname as string })).toThrow(
      new TypeError(
        `Expected \`init.qualname\` to be a qualified name such as \`Task.run\` (dot-separated identifiers, at most 1024 characters), got ${received}`,
      ),
    );
  });

  it('refuses an overlong qualname', () => {
    expect(() => defineIdentity(() => {}, { qualname: 'a'.repeat(1025) })).toThrow(
      /^Expected `init\.qualname` to be a qualified name/,
    );
  });

  it.each([
    [{ module: 'file:///a b.js' }, 'init.module', '`"file:///a b.js"` (string)'],
    [{ module: '' }, 'init.module', '`""` (string)'],
    [{ module: { url: 7 } }, 'init.module.url', '`7` (number)'],
  ])('refuses the module in %j', (init, argument, received) => {
    expect(() => defineIdentity(() => {}, init as never)).toThrow(
      new TypeError(
        `Expected \`${argument}\` to be a module URL or package specifier (printable ASCII, no white space, at most 2048 characters), got ${received}`,
      ),
    );
  });

  it('never runs a getter for `init.module.url`', () => {
    let reads = 0;
    const meta = {
      get url() {
        reads += 1;
        return 'file:///x.js';
      },
    };
    expect(() => defineIdentity(() => {}, { module: meta })).toThrow(
      /^Expected `init\.module\.url` to be a module URL .* got `undefined`$/,
    );
    expect(reads).toBe(0);
  });

  it('refuses a doc that is not a string', () => {
    expect(() => defineIdentity(() => {}, { doc: 1 as never })).toThrow(
      new TypeError('Expected `init.doc` to be a string, got `1` (number)'),
    );
  });

  it('refuses a missing, malformed or unknown `init`', () => {
    expect(() => defineIdentity(() => {}, undefined as never)).toThrow(
      new TypeError('Expected `init` to be an object, got `undefined`'),
    );
    expect(() => defineIdentity(() => {}, 'Task.run' as never)).toThrow(
      new TypeError('Expected `init` to be an object, got `"Task.run"` (string)'),
    );
    expect(() => defineIdentity(() => {}, { name: 'x' } as never)).toThrow(
      new TypeError('Unknown option `init.name`; expected one of `qualname`, `module`, `doc`'),
    );
  });

  it('refuses a non-function', () => {
    expect(() => defineIdentity(null as never, {})).toThrow(
      new TypeError('Expected `fn` to be a function, got `null`'),
    );
  });

  it('reports a frozen function with the field it could not set', () => {
    const fn = Object.freeze(function frozen() {});
    expect(() => defineIdentity(fn, { qualname: 'frozen' })).toThrow(
      new WrapperPropertyError(
        QUALNAME,
        'Cannot set the qualname on function `frozen`: the function is not extensible (frozen, sealed or preventExtensions)',
      ),
    );
    let error: unknown;
    try {
      defineIdentity(fn, { doc: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WrapperPropertyError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_WRAPPER_PROPERTY',
      key: Symbol.for('selfsame.doc'),
    });
  });
});
