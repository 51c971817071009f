import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  ReferenceIdentityError,
  ReferenceResolveError,
  SignatureError,
} from '../../src/errors.js';
import { defineIdentity } from '../../src/identity.js';
import { digestOf } from '../../src/reference/digest.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, tripwires } from './fixtures.js';

async function failure(ref: unknown, opts: object = options): Promise<Error> {
  return fromReference(ref, opts).then(
    () => {
      throw new Error('expected fromReference to refuse');
    },
    (caught: Error) => caught,
  );
}

describe('fromReference', () => {
  it('resolves a reference to the very same function', async () => {
    const { add, multiply, Jobs } = await fixture('tasks.js');
    for (const fn of [add, multiply, Jobs.resize]) {
      expect(await fromReference(await toReference(fn, options), options)).toBe(fn);
    }
  });

  it('resolves a reference that went through JSON', async () => {
    const { add } = await fixture('tasks.js');
    const message = JSON.stringify(await toReference(add, options));
    const resolved = await fromReference<(x: number, y: number) => number>(
      JSON.parse(message),
      options,
    );
    expect(resolved(2, 3)).toBe(5);
  });

  it('resolves a wrapper to the wrapper, so the decorator still runs', async () => {
    const { add } = await fixture('with-wraps.js');
    const resolved = await fromReference(await toReference(add, options), options);
    const calls = (globalThis as { __selfsameCalls?: number }).__selfsameCalls ?? 0;
    expect(resolved(2, 3)).toBe(5);
    expect((globalThis as { __selfsameCalls?: number }).__selfsameCalls).toBe(calls + 1);
  });

  it('refuses a swapped implementation, and runs it only when the caller opts out', async () => {
    const module = await fixture('rebinding.js');
    module.restore();
    const reference = await toReference(module.add, options);
    module.rebind();
    const error = await failure(reference);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error).toMatchObject({
      code: 'ERR_SELFSAME_INTEGRITY',
      expected: reference.digest,
      actual: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(error.message).toBe(
      `Refused the reference to \`add\` in \`./rebinding.js\`: the implementation differs from the one referenced (digest ${(error as IntegrityError).actual} instead of ${reference.digest}); to run it anyway, resolve it with \`fromReference(ref, { verifyIntegrity: false })\` (a \`Pool\` always verifies: its workers must load the code the reference was made from)`,
    );
    const swapped = await fromReference(reference, { ...options, verifyIntegrity: false });
    expect(swapped(2, 3)).toBe(6);
  });

  it('refuses a name that holds another function (an alias)', async () => {
    const { add } = await fixture('tasks.js');
    const reference = { ...(await toReference(add, options)), qualname: 'plus' };
    const error = await failure(reference);
    expect(error).toBeInstanceOf(ReferenceIdentityError);
    expect(error.message).toBe(
      'Refused the reference to `plus` in `./tasks.js`: the function found is `add`, not `plus` (an alias or a rebinding)',
    );
  });

  it('refuses a name that holds no function', async () => {
    const { add } = await fixture('tasks.js');
    const reference = { ...(await toReference(add, options)), qualname: 'notAFunction' };
    const error = await failure(reference);
    expect(error).toBeInstanceOf(ReferenceIdentityError);
    expect(error.message).toBe(
      'Refused the reference to `notAFunction` in `./tasks.js`: the name holds no function',
    );
  });

  it('refuses a name that is not there', async () => {
    const { add } = await fixture('tasks.js');
    const error = await failure({ ...(await toReference(add, options)), qualname: 'Jobs.missing' });
    expect(error).toBeInstanceOf(ReferenceResolveError);
    expect(error.message).toBe(
      'Cannot resolve the reference to `Jobs.missing` in `./tasks.js`: `Jobs.missing` is not an own property',
    );
  });

  it('requires and verifies a signature when a key is given', async () => {
    const { add } = await fixture('tasks.js');
    const signed = await toReference(add, { ...options, key: 'secret' });
    expect(await fromReference(signed, { ...options, key: 'secret' })).toBe(add);
    const wrongKey = await failure(signed, { ...options, key: 'wrong' });
    expect(wrongKey).toBeInstanceOf(SignatureError);
    expect(wrongKey.message).toBe(
      'Refused the reference to `add` in `./tasks.js`: the signature does not verify with the given key',
    );
    const { signature: _, ...unsigned } = signed;
    const missing = await failure(unsigned, { ...options, key: 'secret' });
    expect(missing).toBeInstanceOf(SignatureError);
    expect(missing.message).toBe(
      'Refused the reference to `add` in `./tasks.js`: a key is given but the reference is not signed',
    );
    const tampered = await failure(
      { ...signed, qualname: 'multiply' },
      { ...options, key: 'secret' },
    );
    expect(tampered).toBeInstanceOf(SignatureError);
  });

  it('accepts a Uint8Array key', async () => {
    const { add } = await fixture('tasks.js');
    const key = new Uint8Array(32).fill(7);
    expect(
      await fromReference(await toReference(add, { ...options, key }), { ...options, key }),
    ).toBe(add);
  });

  it('takes a byte key by value: changed in place, it no longer accepts the old signatures', async () => {
    const { add } = await fixture('tasks.js');
    for (const key of [
      Buffer.from('the first key, 32 bytes long....'),
      new Uint8Array(32).fill(1),
    ]) {
      const same = { ...options, key };
      const signedBefore = await toReference(add, same);
      expect(await fromReference(signedBefore, same)).toBe(add);
      key.fill(9);
      for (const opts of [same, { ...options, key }]) {
        const error = await failure(signedBefore, opts);
        expect(error).toBeInstanceOf(SignatureError);
        expect(error.message).toBe(
          'Refused the reference to `add` in `./tasks.js`: the signature does not verify with the given key',
        );
      }
      const signedAfter = await toReference(add, same);
      expect(signedAfter.signature).not.toBe(signedBefore.signature);
      expect(await fromReference(signedAfter, same)).toBe(add);
    }
  });

  it('resolves a function of a listed package by its specifier', async () => {
    const { namespace: dist } = await loadNamespace(
      new URL('../../dist/index.js', import.meta.url).href,
      'dist',
    );
    const packages = ['selfsame'];
    const reference = await toReference(dist.identityOf as Function, { ...options, packages });
    expect(await fromReference(reference, { ...options, packages })).toBe(dist.identityOf);
  });

  it('resolves a function a listed package defines in one file and exports from its entry', async () => {
    const { namespace: dist } = await loadNamespace(
      new URL('../../dist/index.js', import.meta.url).href,
      'dist',
    );
    const isMain = dist.isMainModule as Function;
    defineIdentity(isMain, {
      module: new URL('../../dist/reference/is-main-module.js', import.meta.url).href,
    });
    const packages = ['selfsame'];
    const reference = await toReference(isMain, { ...options, packages });
    expect(reference).toMatchObject({ module: 'selfsame', qualname: 'isMainModule' });
    expect(await fromReference(reference, { ...options, packages })).toBe(isMain);
  });

  it('refuses a function recorded as defined in another module', async () => {
    const { foreign } = await fixture('tasks.js');
    const error = await failure({
      v: 1,
      module: './tasks.js',
      qualname: 'foreign',
      digest: digestOf(foreign),
    });
    expect(error).toBeInstanceOf(ReferenceIdentityError);
    expect(error.message).toBe(
      'Refused the reference to `foreign` in `./tasks.js`: the function found was defined in `file:///elsewhere/foreign.js`, not in that module',
    );
  });

  it('imports a module once for concurrent resolutions', async () => {
    const wires = await tripwires();
    const reference = {
      v: 1,
      module: './once.js',
      qualname: 'once',
      digest: `sha256:${'0'.repeat(64)}`,
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        fromReference(reference, { ...options, verifyIntegrity: false }),
      ),
    );
    expect(new Set(results).size).toBe(1);
    expect(wires.inits['once.js']).toBe(1);
  });

  it('re-checks a cached resolution, so a later rebinding is caught', async () => {
    const module = await fixture('rebinding.js');
    module.restore();
    const reference = await toReference(module.add, options);
    expect(await fromReference(reference, options)).toBe(module.add);
    module.rebind();
    expect(await failure(reference)).toBeInstanceOf(IntegrityError);
    module.restore();
    // A new function with the referenced source passes: the digest is of the implementation.
    expect(await fromReference(reference, options)).toBe(module.add);
  });
});
