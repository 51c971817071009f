import { describe, expect, it } from 'vitest';
import {
  createDecorator,
  type DecorationContext,
  DecoratorPositionError,
  DecoratorUsageError,
  defineIdentity,
  identityOf,
  trackExecutionTime,
  unwrap,
  WrapperPropertyError,
} from '../src/index.js';
import { caseUrl, loadCase } from './support/cases.js';

type Probe = typeof import('./cases/probe.js');
type Private = typeof import('./standard/private.js');
type StandardPositions = typeof import('./standard/positions.js');
// Declared, not imported: the standard-mode typecheck must not read legacy-only sources.
type LegacyPositions = Record<
  | 'decorateProperty'
  | 'decorateStaticProperty'
  | 'decorateParameter'
  | 'decorateConstructorParameter',
  () => Function
>;

/** A decorator whose wrapper calls through, recording each context it is given. */
function passThrough(name = 'pass') {
  const contexts: DecorationContext<unknown>[] = [];
  const decorator = createDecorator<unknown>(name, (fn, context) => {
    contexts.push(context);
    return function wrapper(this: unknown, ...args: unknown[]) {
      return Reflect.apply(fn, this, args);
    };
  });
  return { decorator, contexts };
}

// Decorated at this module's top level: selfsame records this module as the function's module.
const topLevel = passThrough().decorator(function topLevel(a: number) {
  return a + 1;
});

const ACCEPTED = 'it applies to functions, classes, methods, getters and setters';

describe('createDecorator, plain call', () => {
  it('decorates a function with `dec(fn)` and `dec(options)(fn)`', () => {
    const { decorator, contexts } = passThrough();
    const bare = decorator(function bare(x: number) {
      return x * 2;
    });
    const configured = decorator({ level: 2 })(function configured(x: number) {
      return x * 3;
    });
    expect([bare(2), configured(2)]).toEqual([4, 6]);
    expect(contexts).toEqual([
      {
        decorator: 'pass',
        kind: 'function',
        name: 'bare',
        static: false,
        private: false,
        owner: undefined,
        mode: 'plain',
        options: undefined,
      },
      {
        decorator: 'pass',
        kind: 'function',
        name: 'configured',
        static: false,
        private: false,
        owner: undefined,
        mode: 'plain',
        options: { level: 2 },
      },
    ]);
  });

  it('records the module whose top level applied it', () => {
    expect(identityOf(topLevel)).toMatchObject({
      name: 'topLevel',
      qualname: 'topLevel',
      module: import.meta.url,
    });
  });

  it('gives a function decorated in a function body a `<locals>` qualname', () => {
    function factory() {
      return passThrough().decorator(function inner() {});
    }
    expect(identityOf(factory()).qualname).toBe('factory.<locals>.inner');
  });

  it('names an anonymous function `<lambda>`', () => {
    const anonymous = passThrough().decorator(
      (
        () => () =>
          1
      )(), // an arrow function that got no name
    );
    expect(identityOf(anonymous).qualname).toMatch(/\.<locals>\.<lambda>$/);
  });

  it('never overrides an identity given explicitly', () => {
    const explicit = defineIdentity(function explicit() {}, {
      qualname: 'Tasks.explicit',
      module: 'pkg/tasks',
    });
    function wrapIt() {
      return passThrough().decorator(explicit);
    }
    expect(identityOf(wrapIt())).toMatchObject({ qualname: 'Tasks.explicit', module: 'pkg/tasks' });
  });

  it('decorates a class as a class', () => {
    const { decorator, contexts } = passThrough();
    class Point {
      constructor(readonly x: number) {}
    }
    const created: unknown[] = [];
    const decorated = createDecorator('made', (fn) => {
      return class extends (fn as unknown as new (x: number) => Point) {
        constructor(x: number) {
          super(x);
          created.push(this);
        }
      } as unknown as typeof fn;
    })(Point);
    expect(new decorated(3).x).toBe(3);
    expect(created).toHaveLength(1);
    decorator(Point);
    expect(contexts[0]).toMatchObject({ kind: 'class', name: 'Point', mode: 'plain' });
  });
});

describe('createDecorator, identity of the wrapper', () => {
  it('labels the wrapper `<decorator>.<locals>.wrapper` before copying the identity', () => {
    let built: Function | undefined;
    const stubborn = createDecorator('stubborn', (fn) => {
      built = function wrapper(this: unknown, ...args: unknown[]) {
        return Reflect.apply(fn, this, args);
      };
      // A name that cannot be replaced stops the copy right there.
      Object.defineProperty(built, 'name', { value: 'wrapper', configurable: false });
      return built as typeof fn;
    });
    expect(() => stubborn(function task() {})).toThrow(WrapperPropertyError);
    expect(identityOf(built as Function).qualname).toBe('stubborn.<locals>.wrapper');
  });

  it('uses the wrapper’s own name in that label, `wrapper` when it has none', () => {
    let built: Function | undefined;
    const named = createDecorator('named', (fn) => {
      built = (() =>
        function timer(this: unknown, ...args: unknown[]) {
          return Reflect.apply(fn, this, args);
        })();
      Object.defineProperty(built, 'length', { value: 0, configurable: false });
      return built as typeof fn;
    });
    expect(() => named(function task(_: number) {})).toThrow(WrapperPropertyError);
    expect(identityOf(built as Function).qualname).toBe('named.<locals>.timer');
  });

  it('returns the function itself when the factory does, recording only its module', () => {
    const identity = createDecorator('identity', (fn) => fn);
    function task() {}
    expect(identity(task)).toBe(task);
    expect(identityOf(task).module).toBe(import.meta.url);
  });

  it('refuses a factory that returns something else than a function', () => {
    const broken = createDecorator('broken', () => 42 as never);
    expect(() => broken(function task() {})).toThrow(
      new TypeError('Expected the factory of `broken` to return a function, got `42` (number)'),
    );
  });
});

describe('createDecorator, shapes', () => {
  const { decorator } = passThrough('shape');

  it.each([
    ['a number', [1, 2], '`1` (number), `2` (number)'],
    ['four arguments', [{}, 'key', {}, 4], 'an object, `"key"` (string), an object, `4` (number)'],
    ['null and a key', [null, 'key', {}], '`null`, `"key"` (string), an object'],
  ])('refuses %s with a usage error naming what it got', (_, args, got) => {
    const call = () => (decorator as (...values: unknown[]) => unknown)(...args);
    expect(call).toThrow(DecoratorUsageError);
    expect(call).toThrow(
      `\`shape\` was called with ${got}, which matches none of its shapes: \`shape(fn)\`, \`shape(options)\`, a standard decorator \`(value, context)\` or a legacy decorator \`(target, key, descriptor)\``,
    );
  });

  it('refuses a standard context without a `kind`', () => {
    const call = () => (decorator as (...values: unknown[]) => unknown)(() => 1, { name: 'x' });
    expect(call).toThrow(
      new DecoratorUsageError(
        '`shape` was called with an anonymous function, an object, but the second argument is not a standard decorator context: it has no string `kind`',
      ),
    );
  });

  it('refuses a standard method context whose value is not a function', () => {
    const call = () =>
      (decorator as (...values: unknown[]) => unknown)(42, { kind: 'method', name: 'x' });
    expect(call).toThrow(
      new DecoratorUsageError(
        '`shape` was called as a standard decorator of a method, but the value decorated is `42` (number), not a function',
      ),
    );
  });

  it('refuses a legacy descriptor that is not an object', () => {
    class Box {}
    const call = () =>
      (decorator as (...values: unknown[]) => unknown)(Box.prototype, 'size', 'wide');
    expect(call).toThrow(
      new DecoratorUsageError(
        '`shape` was called as a legacy decorator of `Box.size`, but the third argument is `"wide"` (string), not a property descriptor',
      ),
    );
  });

  it('refuses a legacy third argument that is neither a descriptor nor an index', () => {
    const call = () => (decorator as (...values: unknown[]) => unknown)(() => 1, 'x', 'y');
    expect(call).toThrow(
      new DecoratorUsageError(
        '`shape` was called as a legacy decorator of `<anonymous>.x`, but the third argument is `"y"` (string), not a property descriptor',
      ),
    );
  });

  it('wraps both halves of a legacy accessor pair, as tsc hands it over', () => {
    const { decorator, contexts } = passThrough('pair');
    class Box {
      width = 1;
    }
    let stored = 0;
    const descriptor = decorator(Box.prototype, 'size', {
      get: function size(this: Box) {
        return this.width * 2;
      },
      set: function size(this: Box, value: number) {
        stored = value;
      },
      configurable: true,
      enumerable: false,
    }) as PropertyDescriptor;
    Object.defineProperty(Box.prototype, 'size', descriptor);
    const box = new Box() as Box & { size: number };
    box.size = 5;
    expect([box.size, stored]).toEqual([2, 5]);
    expect(contexts.map((context) => [context.kind, context.name, context.owner])).toEqual([
      ['getter', 'size', Box],
      ['setter', 'size', Box],
    ]);
    expect(identityOf(descriptor.get as Function).qualname).toBe(
      '<lambda>.<locals>.Box.size.<get>',
    );
    expect(identityOf(descriptor.set as Function).qualname).toBe(
      '<lambda>.<locals>.Box.size.<set>',
    );
    expect([descriptor.configurable, descriptor.enumerable]).toEqual([true, false]);
  });

  it('refuses a legacy data property that holds no function', () => {
    class Box {}
    const call = () =>
      (decorator as (...values: unknown[]) => unknown)(Box, 'size', { value: 3, writable: true });
    expect(call).toThrow(
      new DecoratorPositionError(
        `\`@shape\` cannot be applied to the static property \`Box.size\`, whose value is \`3\` (number): ${ACCEPTED}`,
      ),
    );
  });

  it('refuses options given to an already configured decorator', () => {
    const call = () => (decorator() as unknown as (options: object) => unknown)({ level: 1 });
    expect(call).toThrow(
      new DecoratorUsageError(
        '`shape(options)` returns a decorator, which takes a function to decorate, got an object: write `@shape(options)` or `shape(options)(fn)`',
      ),
    );
  });

  it('refuses options that are not an object', () => {
    expect(() => (decorator as (value: unknown) => unknown)('fast')).toThrow(
      new TypeError('Expected `options` to be an object, got `"fast"` (string)'),
    );
  });
});

describe('createDecorator, arguments', () => {
  const factory = (fn: Function) => fn as never;

  it.each([
    [undefined, '`undefined`'],
    ['my-decorator', '`"my-decorator"` (string)'],
    ['', '`""` (string)'],
  ])('refuses the name %j', (name, got) => {
    expect(() => createDecorator(name as string, factory)).toThrow(
      new TypeError(`Expected \`name\` to be an identifier, got ${got}`),
    );
  });

  it('refuses a factory that is not a function', () => {
    expect(() => createDecorator('dec', 'wrap' as never)).toThrow(
      new TypeError('Expected `factory` to be a function, got `"wrap"` (string)'),
    );
  });

  it('refuses settings that are not an object', () => {
    expect(() => createDecorator('dec', factory, 3 as never)).toThrow(
      new TypeError('Expected `settings` to be an object, got `3` (number)'),
    );
  });

  it('refuses an unknown setting', () => {
    expect(() => createDecorator('dec', factory, { kind: ['method'] } as never)).toThrow(
      new TypeError('Unknown option `settings.kind`; expected one of `options`, `kinds`'),
    );
  });

  it('refuses `settings.options` that is not a function', () => {
    expect(() => createDecorator('dec', factory, { options: {} as never })).toThrow(
      new TypeError('Expected `settings.options` to be a function, got an object'),
    );
  });

  it('refuses an empty `settings.kinds`', () => {
    expect(() => createDecorator('dec', factory, { kinds: [] })).toThrow(
      new TypeError(
        'Expected `settings.kinds` to be a non-empty list of `function`, `class`, `method`, `getter`, `setter`, got an array of length 0',
      ),
    );
  });

  it('refuses an unknown kind', () => {
    expect(() => createDecorator('dec', factory, { kinds: ['method', 'field' as never] })).toThrow(
      new TypeError(
        'Expected `settings.kinds[1]` to be one of `function`, `class`, `method`, `getter`, `setter`, got `"field"` (string)',
      ),
    );
  });

  it('refuses a position outside `settings.kinds`, naming it', () => {
    const methodsOnly = createDecorator('methodsOnly', factory, { kinds: ['method'] });
    class Box {}
    const getter = { get: () => 1, configurable: true };
    expect(() => methodsOnly(function task() {})).toThrow(
      new DecoratorPositionError(
        '`@methodsOnly` cannot be applied to the function `task`: it applies to methods',
      ),
    );
    expect(() => methodsOnly(Box.prototype, 'size', getter)).toThrow(
      new DecoratorPositionError(
        '`@methodsOnly` cannot be applied to the getter `Box.size`: it applies to methods',
      ),
    );
  });

  it('runs `settings.options` once per configuration, with `undefined` for a bare use', () => {
    const seen: unknown[] = [];
    const configurable = createDecorator('configurable', factory, {
      options: (input: { level: number } | undefined) => {
        seen.push(input);
        return input?.level ?? 0;
      },
    });
    const configured = configurable({ level: 3 });
    configured(function a() {});
    configured(function b() {});
    configurable(function c() {});
    configurable(function d() {});
    expect(seen).toEqual([{ level: 3 }, undefined]);
  });
});

describe.each(['standard', 'legacy'] as const)('createDecorator, %s decorators', (build) => {
  it('tells the factory the position, name, staticness, owner, mode and options', async () => {
    const { contexts, Shapes } = await loadCase<Probe>(build, 'cases/probe.js');
    const legacy = build === 'legacy';
    // The class decorator runs last and replaces the class: members saw the original.
    const owner = legacy ? unwrap(Shapes) : undefined;
    const mode = build;
    const byName = Object.fromEntries(
      contexts.map(({ decorator: _, ...rest }) => [String(rest.name), rest]),
    );
    expect(byName).toMatchObject({
      method: {
        kind: 'method',
        static: false,
        private: false,
        owner,
        mode,
        options: { tag: 'configured' },
      },
      create: { kind: 'method', static: true, private: false, owner, mode, options: undefined },
      size: { kind: 'getter', static: false, owner, mode },
      title: { kind: 'setter', static: false, owner, mode },
      // A legacy class decorator is called as `dec(Class)`, exactly a plain call.
      Shapes: {
        kind: 'class',
        static: false,
        owner: undefined,
        mode: legacy ? 'plain' : 'standard',
      },
    });
    expect(new Shapes().method(2, 3)).toBe(6);
    // A plain function wrapping a class shares its prototype: `instanceof` holds both ways.
    expect(new Shapes()).toBeInstanceOf(unwrap(Shapes));
    expect(new (unwrap(Shapes) as typeof Shapes)()).toBeInstanceOf(Shapes);
    expect(Shapes.create()).toBeInstanceOf(Shapes);
  });

  it('names the members of a class that a class decorator replaced', async () => {
    const { Shapes } = await loadCase<Probe>(build, 'cases/probe.js');
    new Shapes();
    const size = Object.getOwnPropertyDescriptor(Shapes.prototype, 'size')?.get as Function;
    expect(identityOf(Shapes.prototype.method).qualname).toBe('Shapes.method');
    expect(identityOf(size).qualname).toBe('Shapes.size.<get>');
    expect(identityOf(Shapes.create).qualname).toBe('Shapes.create');
  });

  it('names each layer of stacked decorators `Class.member`', async () => {
    const { Stacked } = await loadCase<Probe>(build, 'cases/probe.js');
    expect(new Stacked().run()).toBe('ran');
    const outer = Stacked.prototype.run;
    const inner = identityOf(outer).wrapped as Function;
    expect(identityOf(outer).qualname).toBe('Stacked.run');
    expect(identityOf(inner).qualname).toBe('Stacked.run');
    expect(unwrap(outer)).not.toBe(inner);
    expect(identityOf(outer).module).toBe(caseUrl(build, 'cases/probe.js'));
  });
});

describe('createDecorator, standard private members', () => {
  it('names private members `Class.#member`, by the class that defined them', async () => {
    const { BigVault, records } = await loadCase<Private>('standard', 'standard/private.js');
    const opened = new BigVault().open();
    expect(opened.revealed).toBe(21);
    expect(opened.doubled).toBe(14);
    expect(identityOf(opened.reveal)).toMatchObject({ name: '#reveal', qualname: 'Vault.#reveal' });
    expect(identityOf(opened.count)).toMatchObject({ name: '#count', qualname: 'Vault.#count' });
    expect(records.map((record) => record.qualname)).toEqual([
      'Vault.#doubled.<get>',
      'Vault.#reveal',
    ]);
  });
});

describe('createDecorator, refused positions', () => {
  it.each([
    ['decorateField', 'the field `size`'],
    ['decorateStaticField', 'the static field `count`'],
    ['decorateAccessor', 'the auto-accessor `size`'],
  ] as const)('standard: %s', async (define, position) => {
    const positions = await loadCase<StandardPositions>('standard', 'standard/positions.js');
    expect(() => positions[define]()).toThrow(
      new DecoratorPositionError(
        `\`@trackExecutionTime\` cannot be applied to ${position}: ${ACCEPTED}`,
      ),
    );
    expect(() => positions[define]()).toThrow(
      expect.objectContaining({ code: 'ERR_SELFSAME_DECORATOR_POSITION' }),
    );
  });

  it.each([
    ['decorateProperty', 'the property `Box.size`'],
    ['decorateStaticProperty', 'the static property `Box.count`'],
    ['decorateParameter', 'parameter 0 of `Box.resize`'],
    ['decorateConstructorParameter', 'parameter 0 of the constructor of `Box`'],
  ] as const)('legacy: %s', async (define, position) => {
    const positions = await loadCase<LegacyPositions>('legacy', 'legacy/positions.js');
    expect(() => positions[define]()).toThrow(
      new DecoratorPositionError(
        `\`@trackExecutionTime\` cannot be applied to ${position}: ${ACCEPTED}`,
      ),
    );
  });
});

describe('createDecorator, the decorator itself', () => {
  it('is named after the decorator, configured or not', () => {
    expect(trackExecutionTime.name).toBe('trackExecutionTime');
    expect(trackExecutionTime({ logger: false }).name).toBe('trackExecutionTime');
  });
});

describe('the `retried` example of docs/decorators.md', () => {
  interface RetryOptions {
    times?: number;
  }
  const retried = createDecorator(
    'retried',
    (fn, context: DecorationContext<number>) => {
      const times = context.options;
      return async function wrapper(this: unknown, ...args: unknown[]) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await Reflect.apply(fn, this, args);
          } catch (error) {
            if (attempt >= times) throw error;
          }
        }
      };
    },
    {
      options: (input: RetryOptions | undefined) => {
        const times = input?.times ?? 3;
        if (!Number.isInteger(times) || times < 1) {
          throw new RangeError(
            `Expected \`options.times\` to be an integer from 1 and up, got ${times}`,
          );
        }
        return times;
      },
      kinds: ['function', 'method'],
    },
  );

  it('retries until the function succeeds, and keeps its identity', async () => {
    let calls = 0;
    const flaky = retried({ times: 3 })(async function flaky(x: number) {
      calls += 1;
      if (calls < 3) throw new Error(`attempt ${calls}`);
      return x * 2;
    });
    await expect(flaky(21)).resolves.toBe(42);
    expect(calls).toBe(3);
    expect([flaky.name, flaky.length]).toEqual(['flaky', 1]);
  });

  it('re-throws the last error, checks its options and refuses a class', async () => {
    const failing = retried({ times: 2 })(async function failing() {
      throw new Error('always');
    });
    await expect(failing()).rejects.toThrow('always');
    expect(() => retried({ times: 0 })).toThrow(
      new RangeError('Expected `options.times` to be an integer from 1 and up, got 0'),
    );
    expect(() => retried(class Job {})).toThrow(
      new DecoratorPositionError(
        '`@retried` cannot be applied to the class `Job`: it applies to functions and methods',
      ),
    );
  });
});

describe('createDecorator, a standard member frozen before its class is constructed', () => {
  it('keeps its provisional qualname and never fails the construction', async () => {
    type Frozen = { Sealed: new () => { run(): string } };
    const { Sealed } = await loadCase<Frozen>('standard', 'standard/frozen.js');
    Object.freeze(Sealed.prototype.run);
    expect(new Sealed().run()).toBe('ran');
    expect(identityOf(Sealed.prototype.run).qualname).toBe('run');
  });
});
