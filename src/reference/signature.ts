/**
 * HMAC-SHA256 signatures over a reference's canonical encoding.
 */
import { canonicalEncoding, type FunctionReference } from './format.js';
import { crypto } from './node.js';

/** `hmac-sha256:` and the hex HMAC of the reference's fields, signature excluded. */
export function sign(reference: FunctionReference, key: string | Uint8Array): string {
  const hmac = crypto().createHmac('sha256', key).update(canonicalEncoding(reference));
  return `hmac-sha256:${hmac.digest('hex')}`;
}

/** Whether `signature` is the reference's signature under `key`, compared in constant time. */
export function verify(
  reference: FunctionReference,
  signature: string,
  key: string | Uint8Array,
): boolean {
  const { timingSafeEqual } = crypto();
  const expected = Buffer.from(sign(reference, key));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A key as it stands now: a string as is, bytes copied, so that a change in place shows later. */
export function keySnapshot(key: string | Uint8Array): string | Uint8Array {
  return typeof key === 'string' ? key : Uint8Array.from(key);
}

/**
 * Whether `key` holds what `snapshot` held: the same string, or the same bytes. Every byte is
 * read whatever the first difference, so the time taken says nothing about where keys differ.
 */
export function sameKey(snapshot: string | Uint8Array, key: string | Uint8Array): boolean {
  if (typeof snapshot === 'string' || typeof key === 'string') return snapshot === key;
  if (snapshot.byteLength !== key.byteLength) return false;
  let difference = 0;
  for (let index = 0; index < key.byteLength; index++) {
    difference |= (snapshot[index] as number) ^ (key[index] as number);
  }
  return difference === 0;
}
