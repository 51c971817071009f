import { describe, expect, it } from 'vitest';
import { NotReferenceableError } from '../../src/errors.js';
import { defineIdentity } from '../../src/identity.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, root } from './fixtures.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

async function refusal(fn: Function, opts: object = options): Promise<NotReferenceableError> {
  const error = await toReference(fn, opts).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NotReferenceableError);
  expect((error as NotReferenceableError).code).toBe('ERR_SELFSAME_NOT_REFERENCEABLE');
  return error as NotReferenceableError;
}

describe('toReference', () => {
  it('names a registered function by a root-relative module id and its qualname', async () => {
    const { add } = await fixture('tasks.js');
    const reference = await toReference(add, options);
    expect(reference).toEqual({
      v: 1,
      module: './tasks.js',
      qualname: 'add',
      digest: expect.stringMatching(DIGEST),
    });
    expect(Object.isFrozen(reference)).toBe(true);
    expect(JSON.parse(JSON.stringify(reference))).toEqual(reference);
  });

  it('defaults the root to the working directory', async () => {
    const { add } = await fixture('tasks.js');
    expect((await toReference(add)).module).toBe('./test/fixtures/reference/tasks.js');
  });

  it('finds the module of a function nobody registered from where V8 says it was defined', async () => {
    const { multiply } = await fixture('tasks.js');
    expect(await toReference(multiply, options)).toMatchObject({
      module: './tasks.js',
      qualname: 'multiply',
    });
  });

  it('finds a static method of an exported class', async () => {
    const { Jobs } = await fixture('tasks.js');
    expect(await toReference(Jobs.resize, options)).toMatchObject({ qualname: 'Jobs.resize' });
  });

  it('caches the proof per function', async () => {
    const { multiply } = await fixture('tasks.js');
    expect(await toReference(multiply, options)).toBe(await toReference(multiply, options));
  });

  it('re-proves identity at every call: a rebinding since the last proof is refused, as pickle does', async () => {
    const module = await fixture('rebinding.js');
    module.restore();
    const before = module.add;
    const proven = await toReference(before, options);
    expect(proven).toMatchObject({ qualname: 'add' });
    module.rebind();
    expect((await refusal(before)).message).toBe(
      "Can't serialize add: it's not the same object as ./rebinding.js.add",
    );
    // The function bound now is referenced, with the digest of its own implementation.
    const after = await toReference(module.add, options);
    expect(after).toMatchObject({ module: './rebinding.js', qualname: 'add' });
    expect(after.digest).not.toBe(proven.digest);
    module.restore();
  });

  it("refuses a hand-written decorator's wrapper as a local object, as pickle does", async () => {
    const { slowAdd } = await fixture('hand-written.js');
    expect((await refusal(slowAdd)).message).toBe(
      "Can't serialize local object 'trackExecutionTime.<locals>.wrapper'",
    );
  });

  it('names the method or arrow function a local object was defined in', async () => {
    const [made, built, wrapped] = (await fixture('nested.js')).products;
    expect((await refusal(made)).message).toBe(
      "Can't serialize local object 'Factory.make.<locals>.made'",
    );
    expect((await refusal(built)).message).toBe(
      "Can't serialize local object 'Factory.build.<locals>.built'",
    );
    expect((await refusal(wrapped)).message).toBe(
      "Can't serialize local object 'decorate.<locals>.wrapped'",
    );
  });

  it('references a function written inside another when it is exported under its own name', async () => {
    const { exportedLocal } = await fixture('nested.js');
    expect(await toReference(exportedLocal, options)).toMatchObject({
      module: './nested.js',
      qualname: 'exportedLocal',
    });
  });

  it('refuses a recorded `<locals>` qualname before importing anything', async () => {
    const local = defineIdentity(function inner() {}, {
      qualname: 'outer.<locals>.inner',
      module: import.meta,
    });
    expect((await refusal(local)).message).toBe(
      "Can't serialize local object 'outer.<locals>.inner'",
    );
  });

  it('references a wrapper that carries its identity, and resolves to the wrapper', async () => {
    const { add } = await fixture('with-wraps.js');
    expect(await toReference(add, options)).toMatchObject({
      module: './with-wraps.js',
      qualname: 'add',
    });
  });

  it("references a function decorated by selfsame at a module's top level", async () => {
    const { add } = await fixture('decorated.js');
    expect(await toReference(add, options)).toMatchObject({
      module: './decorated.js',
      qualname: 'add',
    });
  });

  it('refuses a function decorated by selfsame inside a function body', async () => {
    const { makeLocal } = await fixture('decorated.js');
    expect((await refusal(makeLocal())).message).toBe(
      "Can't serialize local object 'makeLocal.<locals>.inner'",
    );
  });

  it('names a function of a listed package by its specifier', async () => {
    const { namespace: dist } = await loadNamespace(
      new URL('../../dist/index.js', import.meta.url).href,
      'dist',
    );
    const packages = ['selfsame'];
    expect(await toReference(dist.identityOf as Function, { ...options, packages })).toMatchObject({
      module: 'selfsame',
      qualname: 'identityOf',
    });
    expect((await refusal(dist.identityOf as Function)).message).toMatch(
      /^Can't serialize identityOf: its module `file:\/\/\/.*\/dist\/identity\.js` lies neither under the root/,
    );
  });

  it('gives wrappers that print the same source different digests', async () => {
    const { add, subtract } = await fixture('with-wraps.js');
    expect(add.toString()).toBe(subtract.toString());
    expect((await toReference(add, options)).digest).not.toBe(
      (await toReference(subtract, options)).digest,
    );
  });

  it('names a function exported only under another name by the export that holds it', async () => {
    const { hiddenFunction } = await fixture('tasks.js');
    expect(await toReference(hiddenFunction, options)).toMatchObject({
      qualname: 'hiddenFunction',
    });
  });

  it('refuses a function that is not exported at all', async () => {
    const { callHidden } = await fixture('tasks.js');
    const { namespace } = await loadNamespace(new URL('tasks.js', root).href, 'tasks.js');
    expect(callHidden()).toBe('hidden');
    const notExported = defineIdentity(function notExported() {}, {
      module: new URL('tasks.js', root).href,
    });
    expect(namespace.notExported).toBeUndefined();
    expect((await refusal(notExported)).message).toBe(
      "Can't serialize notExported: it's not found as ./tasks.js.notExported; export it from `./tasks.js`",
    );
  });

  it('refuses a function whose name holds another object in its module', async () => {
    const impostor = defineIdentity(function add() {}, { module: new URL('tasks.js', root).href });
    expect((await refusal(impostor)).message).toBe(
      "Can't serialize add: it's not the same object as ./tasks.js.add",
    );
  });

  it('points an instance method to a static or exported function', async () => {
    const { Jobs } = await fixture('tasks.js');
    expect((await refusal(Jobs.prototype.crop)).message).toBe(
      "Can't serialize crop: it's an instance method of Jobs; reference a static method or an exported function that takes the instance's data",
    );
  });

  it('refuses bound, native and anonymous functions', async () => {
    const { add } = await fixture('tasks.js');
    expect((await refusal(add.bind(null))).message).toBe(
      "Can't serialize bound function `bound add`: reference the function it binds, and pass the bound values as arguments",
    );
    expect((await refusal(Math.max)).message).toBe(
      "Can't serialize native function `max`: it has no module to import",
    );
    expect((await refusal([() => 1][0] as Function)).message).toBe(
      "Can't serialize an anonymous function: name it (a function declaration or `const name = ...`) and export it",
    );
  });

  it('refuses a module outside the root', async () => {
    const { add } = await fixture('tasks.js');
    const inner = new URL('./', import.meta.url);
    expect((await refusal(add, { root: inner })).message).toMatch(
      /^Can't serialize add: its module `file:\/\/\/.*\/tasks\.js` lies neither under the root `.*\/test\/reference` nor in a package listed in `options\.packages`; set `options\.root` to a directory that holds it, or list its package$/,
    );
  });

  it('signs with a key, and only then', async () => {
    const { add } = await fixture('tasks.js');
    const signed = await toReference(add, { ...options, key: 'secret' });
    expect(signed.signature).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect((await toReference(add, { ...options, key: 'other' })).signature).not.toBe(
      signed.signature,
    );
    expect('signature' in (await toReference(add, options))).toBe(false);
  });

  it('checks its arguments', async () => {
    await expect(toReference(42 as never)).rejects.toThrow(
      new TypeError('Expected `fn` to be a function, got `42` (number)'),
    );
    await expect(toReference(() => 1, { rot: '.' } as never)).rejects.toThrow(
      new TypeError(
        'Unknown option `options.rot`; expected one of `root`, `packages`, `key`, `verifyIntegrity`',
      ),
    );
    await expect(toReference(() => 1, { key: '' })).rejects.toThrow(
      new TypeError(
        'Expected `options.key` to be a non-empty string or Uint8Array, got `""` (string)',
      ),
    );
  });
});
