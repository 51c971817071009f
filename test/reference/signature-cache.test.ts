import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEncoding, type FunctionReference } from '../../src/reference/format.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, root } from './fixtures.js';

/** The signature computed here from scratch, with Node's own HMAC. */
function expectedSignature(reference: FunctionReference, key: string | Uint8Array): string {
  const hmac = createHmac('sha256', key).update(canonicalEncoding(reference));
  return `hmac-sha256:${hmac.digest('hex')}`;
}

describe('toReference with a key, already proven', () => {
  it('serves the signed reference it made before while the key holds the same value', async () => {
    const { add } = await fixture('tasks.js');
    const first = await toReference(add, { root, key: 'cache secret' });
    const again = await toReference(add, { root, key: 'cache secret' });
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
    expect(again.signature).toBe(expectedSignature(again, 'cache secret'));
  });

  it('signs again when a Uint8Array key was changed in place', async () => {
    const { add } = await fixture('tasks.js');
    const key = new TextEncoder().encode('bytes that will change');
    const before = await toReference(add, { root, key });
    expect(before.signature).toBe(expectedSignature(before, key));
    key[0] = (key[0] as number) ^ 1;
    const after = await toReference(add, { root, key });
    expect(after.signature).toBe(expectedSignature(after, key));
    expect(after.signature).not.toBe(before.signature);
    await expect(fromReference(after, { root, key })).resolves.toBe(add);
  });

  it('gives each of two alternating keys its own signature', async () => {
    const { add } = await fixture('tasks.js');
    for (let round = 0; round < 3; round++) {
      for (const key of [
        'first key',
        'second key',
        new Uint8Array([1, 2, 3]),
        new Uint8Array([1, 2, 4]),
      ]) {
        const reference = await toReference(add, { root, key });
        expect(reference.signature).toBe(expectedSignature(reference, key));
      }
    }
  });

  it('drops the signature for a call without a key', async () => {
    const { add } = await fixture('tasks.js');
    await toReference(add, { root, key: 'cache secret' });
    expect('signature' in (await toReference(add, { root }))).toBe(false);
  });
});
