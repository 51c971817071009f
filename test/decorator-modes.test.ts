/**
 * The decorator cases of test/cases/calculator.ts, compiled by the real tsc in each decorator
 * mode, run against the same expectations: a plain call, a TC39 standard decorator and a legacy
 * decorator must behave identically, apart from the qualname a class gives its members.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { identityOf, unwrap } from '../src/index.js';
import { caseUrl, loadCase, MODES, type Mode } from './support/cases.js';

type Cases = typeof import('./cases/calculator.js');
type Member = 'add' | 'twice' | 'later' | 'fail' | 'reject';

function buildOf(mode: Mode): 'standard' | 'legacy' {
  return mode === 'legacy' ? 'legacy' : 'standard';
}

describe.each(MODES)('trackExecutionTime, %s', (mode) => {
  let cases: Cases;
  let module: string;
  beforeAll(async () => {
    cases = await loadCase<Cases>(buildOf(mode), 'cases/calculator.js');
    module = caseUrl(buildOf(mode), 'cases/calculator.js');
  });
  beforeEach(() => {
    cases.records.length = 0;
  });

  /** The decorated function, how to call it, and the qualname it must carry. */
  function subject(member: Member) {
    const calculator = new cases.Calculator();
    const fn: Function =
      mode === 'plain'
        ? cases.plain[member]
        : member === 'twice'
          ? cases.Calculator.twice
          : cases.Calculator.prototype[member];
    const self = member === 'twice' ? cases.Calculator : calculator;
    const qualname = mode === 'plain' ? member : `Calculator.${member}`;
    return {
      fn,
      calculator,
      qualname,
      call: (...args: unknown[]) => Reflect.apply(fn, self, args),
    };
  }

  it('passes `this`, the arguments and the return value through', () => {
    const { calculator, call } = subject('add');
    expect(call(1, 2)).toBe(13);
    calculator.base = 5;
    expect(call(1, 2)).toBe(8);
  });

  it('records each call with its qualname, module, times, outcome and thread', () => {
    const { call, qualname } = subject('twice');
    expect(call(21)).toBe(42);
    expect(cases.records).toHaveLength(1);
    const [record] = cases.records;
    expect(record).toEqual({
      qualname,
      module,
      start: expect.any(Number),
      end: expect.any(Number),
      durationMs: expect.any(Number),
      outcome: 'ok',
      error: undefined,
      threadId: 0,
    });
    expect(record?.end).toBeGreaterThanOrEqual(record?.start ?? Number.NaN);
    expect(record?.durationMs).toBeGreaterThanOrEqual(0);
    expect(Math.abs((record?.start ?? 0) - Date.now())).toBeLessThan(10_000);
  });

  it('keeps the name, the length, the qualname and the module', () => {
    const { fn, qualname } = subject('add');
    expect(fn.name).toBe('add');
    expect(fn.length).toBe(2);
    expect(identityOf(fn)).toMatchObject({ name: 'add', qualname, module });
  });

  it('links the wrapper to the decorated function', () => {
    const { fn } = subject('add');
    const original = unwrap(fn);
    expect(original).not.toBe(fn);
    expect(identityOf(fn).wrapped).toBe(original);
    expect(original.name).toBe('add');
  });

  it('times an async function until its promise settles', async () => {
    const { call, qualname } = subject('later');
    const promise = call(1);
    expect(promise).toBeInstanceOf(Promise);
    expect(cases.records).toHaveLength(0);
    await expect(promise).resolves.toBe(11);
    expect(cases.records).toMatchObject([{ qualname, outcome: 'ok' }]);
    expect(cases.records[0]?.durationMs).toBeGreaterThanOrEqual(4);
  });

  it('records a throw and re-throws the same error object', () => {
    const { call, qualname } = subject('fail');
    let thrown: unknown;
    try {
      call('boom');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('boom');
    expect(cases.records).toEqual([expect.objectContaining({ qualname, outcome: 'error' })]);
    expect(cases.records[0]?.error).toBe(thrown);
  });

  it('records a rejection and rejects with the same error object', async () => {
    const { call, qualname } = subject('reject');
    const thrown = await (call('late boom') as Promise<never>).catch((error: unknown) => error);
    expect((thrown as Error).message).toBe('late boom');
    expect(cases.records).toEqual([expect.objectContaining({ qualname, outcome: 'error' })]);
    expect(cases.records[0]?.error).toBe(thrown);
  });
});

describe('trackExecutionTime, plain call inside a function body', () => {
  it('gives the function a `<locals>` qualname', async () => {
    const cases = await loadCase<Cases>('standard', 'cases/calculator.js');
    expect(identityOf(cases.makeLocalFunction()).qualname).toBe('makeLocalFunction.<locals>.inner');
  });
});

describe.each(['standard', 'legacy'] as const)('trackExecutionTime, %s decorators', (build) => {
  let cases: Cases;
  let module: string;
  beforeAll(async () => {
    cases = await loadCase<Cases>(build, 'cases/calculator.js');
    module = caseUrl(build, 'cases/calculator.js');
  });
  beforeEach(() => {
    cases.records.length = 0;
  });
  const accessor = (key: string) =>
    Object.getOwnPropertyDescriptor(cases.Calculator.prototype, key) as PropertyDescriptor;

  it('names a static method `Class.method`', () => {
    expect(identityOf(cases.Calculator.twice)).toMatchObject({
      qualname: 'Calculator.twice',
      module,
    });
  });

  it('times a getter and names it `Class.name.<get>`', () => {
    const calculator = new cases.Calculator();
    expect(calculator.doubled).toBe(20);
    expect(identityOf(accessor('doubled').get as Function)).toMatchObject({
      name: 'get doubled',
      qualname: 'Calculator.doubled.<get>',
      module,
    });
    expect(cases.records.map((record) => record.qualname)).toEqual(['Calculator.doubled.<get>']);
  });

  it('times a setter and names it `Class.name.<set>`', () => {
    const calculator = new cases.Calculator();
    calculator.label = 'four';
    expect(calculator.base).toBe(4);
    expect(identityOf(accessor('label').set as Function).qualname).toBe('Calculator.label.<set>');
    expect(cases.records.map((record) => record.qualname)).toEqual(['Calculator.label.<set>']);
  });

  it('keeps the doc given by a decorator below it', () => {
    expect(identityOf(cases.Calculator.prototype.add).doc).toBe('Adds two numbers to the base.');
  });

  it('keeps metadata stored on the function by a decorator below it', () => {
    const method = cases.Calculator.prototype.tagged;
    expect(Reflect.getMetadata('case:tag', method)).toBe('above');
    expect((method as Function & { role?: string }).role).toBe('above');
    expect(identityOf(method).wrapped).toBeTypeOf('function');
  });

  it('keeps metadata stored on the function by a decorator above it', () => {
    const method = cases.Calculator.prototype.tagged2;
    expect(Reflect.getMetadata('case:tag', method)).toBe('below');
    expect((method as Function & { role?: string }).role).toBe('below');
    expect(identityOf(method).wrapped).toBeTypeOf('function');
  });

  it('times a decorated class, which stays the same class for its users', () => {
    const before = cases.Counter.created;
    const counter = new cases.Counter(3);
    expect(counter.count).toBe(3);
    expect(counter).toBeInstanceOf(cases.Counter);
    expect(cases.Counter.make()).toBeInstanceOf(cases.Counter);
    expect(cases.Counter.created).toBe(before + 2);
    expect(identityOf(cases.Counter)).toMatchObject({
      name: 'Counter',
      qualname: 'Counter',
      module,
    });
    expect(cases.records.map((record) => record.qualname)).toEqual(['Counter', 'Counter']);
  });

  it('gives the members of a class defined in a function body a `<locals>` qualname', () => {
    const Local = cases.makeLocal();
    expect(new Local().run()).toBe('local');
    expect(identityOf(Local.prototype.run).qualname).toBe('makeLocal.<locals>.Local.run');
  });
});

describe('trackExecutionTime, legacy decorators with emitDecoratorMetadata', () => {
  it('leaves `design:*` metadata readable for the member', async () => {
    const cases = await loadCase<Cases>('legacy', 'cases/calculator.js');
    const proto = cases.Calculator.prototype;
    expect(Reflect.getMetadata('design:type', proto, 'add')).toBe(Function);
    expect(Reflect.getMetadata('design:paramtypes', proto, 'add')).toEqual([Number, Number]);
    expect(Reflect.getMetadata('design:returntype', proto, 'add')).toBe(Number);
  });
});
