/**
 * The job payload, the same for every engine: the function's reference, the arguments as JSON
 * text, and a MAC over both and the queue's name.
 *
 * The arguments travel as text because PostgreSQL's `jsonb` reorders object keys: a MAC over
 * re-serialized arguments would not verify. The MAC binds the arguments and the queue to the
 * reference, so that a writer of the queue can neither replay a signed reference with other
 * arguments nor move a job to another queue.
 */
import { SignatureError } from '../errors.js';
import { checkFunction } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { canonicalEncoding, type FunctionReference } from '../reference/format.js';
import { crypto } from '../reference/node.js';
import { toReference } from '../reference/to-reference.js';
import { JobPayloadError } from './errors.js';
import { jsonIssue } from './json-data.js';
import type { QueueKey, Security } from './options.js';

/** A job's data as selfsame writes it. */
export interface JobPayload {
  /** The payload's format version, always `1`. */
  readonly selfsame: 1;
  /** The function, as `toReference` made it; the MAC covers it. */
  readonly ref: FunctionReference;
  /** The arguments, as JSON text of an array. */
  readonly args: string;
  /** `hmac-sha256:` and the hex HMAC of the queue, the reference and the arguments. */
  readonly mac?: string;
}

/** A payload opened by a worker: its reference, its arguments and the key that verified it. */
export interface OpenedPayload {
  readonly ref: FunctionReference;
  readonly args: unknown[];
  readonly key: QueueKey | undefined;
}

// `failure` is written next to the payload by the BullMQ binding when a job fails.
const PAYLOAD_FIELDS = new Set(['selfsame', 'ref', 'args', 'mac', 'failure']);

/**
 * Makes the payload of `fn(...args)`: proves the function with `toReference` (so a function no
 * worker could find fails here, in the producer), checks that the arguments are JSON data and
 * signs the whole.
 */
export async function makePayload(
  fn: Function,
  args: unknown,
  security: Security,
): Promise<JobPayload> {
  checkFunction(fn, 'fn');
  const text = argumentsText(args, 'args');
  const key = security.keys?.[0];
  // The reference itself is not signed: the MAC covers its fields, the arguments and the
  // queue, so one HMAC per job does what two would (each costs about 12 us here).
  const ref = await toReference(fn, security.policy);
  return key === undefined
    ? { selfsame: 1, ref, args: text }
    : { selfsame: 1, ref, args: text, mac: macOf(key, security.queue, ref, text) };
}

/** Checks that `args` is an array of JSON data and returns its JSON text. */
export function argumentsText(args: unknown, name: string): string {
  if (!Array.isArray(args)) {
    throw new TypeError(
      `Expected \`${name}\` to be an array of arguments, got ${describeValue(args)}`,
    );
  }
  const issue = jsonIssue(args, name);
  if (issue !== undefined) {
    throw new TypeError(`Expected \`${name}\` to be JSON data (jobs carry JSON), but ${issue}`);
  }
  return JSON.stringify(args);
}

/**
 * Opens a payload as a worker received it: its shape, then its MAC under one of the keys, then
 * its arguments. Nothing is imported here; `fromReference` does that afterwards.
 *
 * @throws {@link JobPayloadError} when the data is not a selfsame job payload
 * @throws {@link SignatureError} when the queue is signed and the MAC is missing or wrong
 */
export function openPayload(data: unknown, security: Security, job: string): OpenedPayload {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new JobPayloadError(
      `Refused ${job}: its data is ${describeValue(data)}, not a selfsame job ({ selfsame: 1, ref, args })`,
    );
  }
  const fields: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(data)) {
    const descriptor = Object.getOwnPropertyDescriptor(data, key);
    if (
      typeof key !== 'string' ||
      !PAYLOAD_FIELDS.has(key) ||
      !descriptor ||
      !('value' in descriptor)
    ) {
      throw new JobPayloadError(
        `Refused ${job}: its data has the field \`${String(key)}\`; a selfsame job has only \`selfsame\`, \`ref\`, \`args\` and \`mac\``,
      );
    }
    fields[key] = descriptor.value;
  }
  const { selfsame, ref, args, mac } = fields;
  if (selfsame !== 1 || typeof args !== 'string' || typeof ref !== 'object' || ref === null) {
    throw new JobPayloadError(
      `Refused ${job}: its data is not a selfsame job of version 1 (\`selfsame\` is ${describeValue(selfsame)}, \`args\` ${describeValue(args)}, \`ref\` ${describeValue(ref)})`,
    );
  }
  const reference = ref as FunctionReference;
  let key: QueueKey | undefined;
  if (security.keys !== undefined) {
    if (typeof mac !== 'string') {
      throw new SignatureError(
        `Refused ${job}: it carries no signature, and this queue is signed; send it with a producer given the queue's key`,
      );
    }
    key = security.keys.find((candidate) =>
      verifyMac(candidate, security.queue, reference, args, mac),
    );
    if (key === undefined) {
      throw new SignatureError(
        `Refused ${job}: its signature does not verify with ${security.keys.length === 1 ? "this worker's key" : `any of this worker's ${security.keys.length} keys`}; it was signed with another key, or changed after signing`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    // A signed payload always parses: only an unsigned queue's writer can get here.
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) {
    throw new JobPayloadError(`Refused ${job}: its \`args\` is not the JSON text of an array`);
  }
  return { ref: reference, args: parsed, key };
}

function macOf(key: QueueKey, queue: string, ref: FunctionReference, args: string): string {
  // The header is a JSON array, so it ends unambiguously where the arguments' text begins; the
  // arguments are hashed as they are, never escaped into a second copy.
  const header = JSON.stringify(['selfsame.queue.v1', queue, canonicalEncoding(ref)]);
  const hmac = crypto().createHmac('sha256', key).update(header).update(args);
  return `hmac-sha256:${hmac.digest('hex')}`;
}

function verifyMac(
  key: QueueKey,
  queue: string,
  ref: FunctionReference,
  args: string,
  mac: string,
): boolean {
  // `ref` came out of the engine's JSON, so encoding it runs no code whatever its shape; a
  // wrong shape fails verification here, or fromReference's own checks when unsigned.
  const expected = Buffer.from(macOf(key, queue, ref, args));
  const actual = Buffer.from(mac);
  return expected.length === actual.length && crypto().timingSafeEqual(expected, actual);
}
