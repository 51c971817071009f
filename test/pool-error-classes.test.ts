import { describe, expect, it } from 'vitest';
import { errorRebuild } from '../dist/pool/index.js';
import { loadPoolFixture, usePools } from './support/pool.js';

const errors = await loadPoolFixture('error-classes.js');
const open = usePools();

describe('Pool: error classes by reference', () => {
  it('rebuilds an error of an exported class as an instance of that very class', async () => {
    const pool = open();
    const error = await pool.apply(errors.failWithParse, [12]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.ParseError);
    expect(error).toMatchObject({ name: 'ParseError', message: 'unexpected token', line: 12 });
    expect((error as { where(): string }).where()).toBe('line 12');
    expect((error as Error).stack).toContain('failWithParse');
    expect(errorRebuild(error)).toEqual({ as: 'class', className: 'ParseError' });
  });

  it('keeps the subclass of a subclass', async () => {
    const pool = open();
    const error = await pool.apply(errors.failWithSubclass, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.StrictParseError);
    expect(error).toBeInstanceOf(errors.ParseError);
    expect(error).toMatchObject({ name: 'ParseError', message: 'strict mode', line: 7 });
  });

  it('rebuilds classes along the cause and inside an AggregateError', async () => {
    const pool = open();
    const error = await pool.apply(errors.failWithNestedCause, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect(errorRebuild(error)).toBeUndefined();
    const { cause, errors: inner } = error as AggregateError;
    expect(cause).toBeInstanceOf(errors.ParseError);
    expect(cause).toMatchObject({ message: 'the cause', line: 2 });
    expect(inner[0]).toBeInstanceOf(errors.ParseError);
    expect(inner[0]).toMatchObject({ message: 'first', line: 1 });
  });

  it('falls back to a look-alike for a class it cannot reference, and says why', async () => {
    const pool = open();
    const error = await pool.apply(errors.failWithLocal, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor.name).toBe('LocalError');
    expect(error).toMatchObject({ name: 'Error', message: 'from a local class' });
    expect(errorRebuild(error)).toEqual({
      as: 'look-alike',
      className: 'LocalError',
      reason:
        "its class cannot be referenced: Can't serialize local object 'failWithLocal.<locals>.LocalError'",
    });
  });

  it('sends instances of other classes as structured-clone data', async () => {
    const pool = open();
    const point = await pool.apply(errors.returnPoint, []);
    expect(point).toEqual({ x: 1, y: 2 });
    expect(point).not.toBeInstanceOf(errors.Point);
    expect(Object.getPrototypeOf(point)).toBe(Object.prototype);
  });

  it('says nothing about values that are not rebuilt errors', () => {
    expect(errorRebuild(new Error('local'))).toBeUndefined();
    expect(errorRebuild('text')).toBeUndefined();
    expect(errorRebuild(null)).toBeUndefined();
  });
});
