// `partial`: functools.partial whose result travels. Its reference names the function and carries
// the bound arguments as data; fromReference rebuilds it; the pool runs it.
import { afterEach, describe, expect, it } from 'vitest';
// The pool runs what the build made, so its partials come from the build too.
import { partial as builtPartial } from '../../dist/index.js';
import { Pool } from '../../dist/pool/index.js';
import { NotReferenceableError, ReferenceFormatError, SignatureError } from '../../src/errors.js';
import { identityOf } from '../../src/identity.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { partial } from '../../src/reference/partial.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, root } from './fixtures.js';

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
});

describe('partial', () => {
  it('calls the function with the bound arguments first, as functools.partial', async () => {
    const { scale, echo } = await fixture('partials.js');
    const double = partial(scale, 2);
    expect(double(21)).toBe(42);
    expect(double.name).toBe('partial scale');
    expect(double.length).toBe(1);
    expect(partial(partial(echo, 1), 2)(3)).toEqual([1, 2, 3]);
  });

  it('says what it wraps', async () => {
    const { scale, echo } = await fixture('partials.js');
    expect(identityOf(partial(scale, 2)).wrapped).toBe(scale);
    // A partial of a partial wraps the function itself, its arguments appended.
    expect(identityOf(partial(partial(echo, 1), 2)).wrapped).toBe(echo);
  });

  it('checks its function', () => {
    expect(() => partial(42 as never)).toThrow(
      new TypeError('Expected `fn` to be a function, got `42` (number)'),
    );
  });

  it('makes a reference that names the function and carries the arguments as JSON-safe data', async () => {
    const { scale } = await fixture('partials.js');
    const plain = await toReference(scale, options);
    const reference = await toReference(partial(scale, 2), options);
    expect(reference).toEqual({ ...plain, args: [2] });
    const rebuilt = await fromReference<(value: number) => number>(
      JSON.parse(JSON.stringify(reference)),
      options,
    );
    expect(rebuilt).not.toBe(scale);
    expect(rebuilt(21)).toBe(42);
    expect(identityOf(rebuilt).wrapped).toBe(scale);
  });

  it('carries structured-clone data through JSON without loss', async () => {
    const { echo } = await fixture('partials.js');
    const bytes = new Uint8Array([1, 2, 255]);
    const bound = [
      undefined,
      null,
      Number.NaN,
      -0,
      Number.POSITIVE_INFINITY,
      12n,
      'text',
      [1, [2]],
      { a: 1, nested: { b: [true] } },
      new Date(0),
      /a+b/gi,
      new Map<unknown, unknown>([['k', new Set([1, 2])]]),
      bytes,
      new Float64Array([0.5]),
      bytes.buffer,
    ];
    const reference = await toReference(partial(echo, ...bound), options);
    const rebuilt = await fromReference<() => unknown[]>(
      JSON.parse(JSON.stringify(reference)),
      options,
    );
    expect(rebuilt()).toEqual(bound);
    expect(Object.is(rebuilt()[3], -0)).toBe(true);
  });

  it('keeps a `__proto__` key an own property, never a setter', async () => {
    const { echo } = await fixture('partials.js');
    const bound = JSON.parse('{"__proto__": {"polluted": true}}');
    const reference = await toReference(partial(echo, bound), options);
    const [arg] = (await fromReference<() => unknown[]>(reference, options))() as [object];
    expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
    expect(Object.hasOwn(arg, '__proto__')).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('refuses bound arguments a reference cannot carry, naming which one', async () => {
    const { echo } = await fixture('partials.js');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [unknown, string][] = [
      [() => 1, 'argument 0 is a function, which structured clone cannot carry'],
      [Symbol('s'), 'argument 0 is a symbol, which structured clone cannot carry'],
      [
        new (class Point {})(),
        'argument 0 is an instance of a class, which structured clone would turn into a plain object',
      ],
      [cyclic, 'argument 0.self refers back to itself (a cycle)'],
      [
        Object.defineProperty({}, 'x', { get: () => 1, enumerable: true }),
        'argument 0 has an accessor `x` (getters are never run)',
      ],
    ];
    for (const [arg, why] of cases) {
      const error = await toReference(partial(echo, arg), options).catch((e: Error) => e);
      expect(error).toBeInstanceOf(NotReferenceableError);
      expect((error as Error).message).toBe(
        `Can't serialize partial echo: its bound ${why}; bind only structured-clone data (primitives, plain objects, arrays, Date, RegExp, Map, Set, typed arrays), or pass the rest as arguments`,
      );
    }
  });

  it('signs the arguments: changed ones are refused before anything is imported', async () => {
    const { scale } = await fixture('partials.js');
    const signedOptions = { ...options, key: 'a key for partials' };
    const reference = await toReference(partial(scale, 2), signedOptions);
    expect((await fromReference<(v: number) => number>(reference, signedOptions))(1)).toBe(2);
    const error = await fromReference({ ...reference, args: [3] }, signedOptions).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(SignatureError);
    expect((error as Error).message).toBe(
      'Refused the reference to `scale` in `./partials.js`: the signature does not verify with the given key',
    );
  });

  it('refuses malformed arguments in a reference, running no code of them', async () => {
    const { scale } = await fixture('partials.js');
    const plain = await toReference(scale, options);
    const where = 'the reference to `scale` in `./partials.js`';
    const cases: [unknown, string][] = [
      [{ 0: 1 }, '`args` must be a plain array, got an object'],
      [
        [['x']],
        '`args[0]` is not an encoded value, got an array tagged `"x"` (string) with 0 more items',
      ],
      [
        [['n', 'NaN', 'extra']],
        '`args[0]` is not an encoded value, got an array tagged `"n"` (string) with 2 more items',
      ],
      [[['o', 1, 2]], '`args[0][1]` must be a key string, got `1` (number)'],
      [[Object.assign(new Array(2), { 1: 1 })], '`args[0][0]` must be a data element, got a hole'],
      [
        [
          Object.defineProperty([], 0, {
            get: () => {
              throw new Error('a getter ran');
            },
          }),
        ],
        '`args[0][0]` must be a data element, got an accessor (never run)',
      ],
    ];
    for (const [args, why] of cases) {
      const error = await fromReference({ ...plain, args }, options).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ReferenceFormatError);
      expect((error as Error).message).toBe(`Malformed bound arguments in ${where}: ${why}`);
    }
  });

  it('is run by the pool, a static method with its class as `this`', async () => {
    const { scale, Units } = await fixture('partials.js');
    const pool = new Pool({ size: 2, root });
    pools.push(pool);
    expect(await pool.map(builtPartial(scale, 3), [1, 2, 3])).toEqual([3, 6, 9]);
    expect(await pool.map(builtPartial(Units.toMilli, 'metres'), [1, 2])).toEqual([
      '1000 millimetres',
      '2000 millimetres',
    ]);
  });
});
