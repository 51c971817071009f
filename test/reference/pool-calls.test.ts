// How the pool calls what references resolve: a static method gets its class as `this`, and a
// worker that loads another implementation refuses it with advice the pool agrees with.
import { afterEach, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../src/errors.js';
import { Pool } from '../../src/pool/index.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { receiverOf } from '../../src/reference/receiver.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, root } from './fixtures.js';

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
});

describe('the class of a static method, as `this`', () => {
  it('is the receiver recorded for a static method, and none for a top-level export', async () => {
    const { Counter } = await fixture('classy.js');
    const { add } = await fixture('tasks.js');
    const resolved = await fromReference(await toReference(Counter.add, options), options);
    expect(resolved).toBe(Counter.add);
    expect(receiverOf(resolved)).toBe(Counter);
    await fromReference(await toReference(add, options), options);
    expect(receiverOf(add)).toBeUndefined();
  });

  it('is passed by the pool to a static method that uses `this`, and to an initializer', async () => {
    const { Counter } = await fixture('classy.js');
    const pool = new Pool({ size: 1, root, initializer: Counter.setUp, initargs: [100] });
    pools.push(pool);
    expect(await pool.map(Counter.add, [1, 2])).toEqual([101, 102]);
  });
});

describe('an implementation that differs in the worker', () => {
  it('is refused with advice that does not name an option the Pool rejects', async () => {
    const { varies } = await fixture('varies.js');
    const pool = new Pool({ size: 1, root });
    pools.push(pool);
    const error = await pool.apply(varies, []).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toMatch(
      /^Refused the reference to `varies` in `\.\/varies\.js`: the implementation differs from the one referenced \(digest sha256:[0-9a-f]{64} instead of sha256:[0-9a-f]{64}\); to run it anyway, resolve it with `fromReference\(ref, \{ verifyIntegrity: false \}\)` \(a `Pool` always verifies: its workers must load the code the reference was made from\)$/,
    );
    expect(() => new Pool({ verifyIntegrity: false } as never)).toThrow(
      /^Unknown option `options\.verifyIntegrity`/,
    );
  });
});
