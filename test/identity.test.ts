import { describe, expect, it } from 'vitest';
import { defineIdentity, identityOf } from '../src/identity.js';

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
});
