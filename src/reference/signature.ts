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
