/**
 * The options every producer and worker shares (signing keys, the reference policy), checked
 * once when a producer or worker is made and reduced to a {@link Security}.
 */
import { checkBoolean, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import type { ReferenceOptions } from '../reference/options.js';
import { QueueKeyError } from './errors.js';

/** A signing key: a non-empty string or bytes. */
export type QueueKey = string | Uint8Array;

/** How a producer signs jobs and a worker checks them; see docs/distributed.md. */
export interface QueueOptions {
  /**
   * The HMAC-SHA256 key, or several for a rotation: the first signs, any of them verifies.
   * Required unless `unsigned` names the queue.
   */
  readonly key?: QueueKey | readonly QueueKey[] | undefined;
  /**
   * The queue's own name, to opt this queue out of signing: every writer of the queue is then
   * trusted to name any allowlisted function. Any other value is refused.
   */
  readonly unsigned?: string | undefined;
  /** The directory every task module must live in; see `ReferenceOptions.root`. */
  readonly root?: string | URL | undefined;
  /** Packages whose functions may be named; see `ReferenceOptions.packages`. */
  readonly packages?: readonly string[] | undefined;
}

/** Options of a worker: those of {@link QueueOptions}, and whether digests are verified. */
export interface WorkerSecurityOptions extends QueueOptions {
  /**
   * `false` runs a function whose implementation changed since it was referenced. Default
   * `true`: the job fails with `IntegrityError`.
   */
  readonly verifyIntegrity?: boolean | undefined;
}

/** Checked options: the queue, its keys (`undefined` when unsigned) and the reference policy. */
export interface Security {
  readonly queue: string;
  readonly keys: readonly QueueKey[] | undefined;
  /** `root` and `packages` as `toReference` and `fromReference` take them, without a key. */
  readonly policy: ReferenceOptions;
  /**
   * The options `fromReference` resolves with: the policy and `verifyIntegrity`, without a key
   * (the job's MAC covers the reference). Made once: `fromReference` caches its checked policy
   * per options object.
   */
  readonly resolving: ReferenceOptions;
}

const SECURITY_KEYS = ['key', 'unsigned', 'root', 'packages'];
const WORKER_SECURITY_KEYS = [...SECURITY_KEYS, 'verifyIntegrity'];
const MAX_QUEUE_NAME_LENGTH = 200;

/** Throws a `TypeError` unless `name` is a usable queue name. */
export function checkQueueName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_QUEUE_NAME_LENGTH) {
    throw new TypeError(
      `Expected \`name\` to be a queue name (a non-empty string of at most ${MAX_QUEUE_NAME_LENGTH} characters), got ${describeValue(name)}`,
    );
  }
}

/**
 * Picks the security options out of `options`, checks them and returns the rest untouched, so
 * that each binding checks its own engine options.
 *
 * @throws {@link QueueKeyError} when there is no key and `unsigned` does not name the queue
 */
export function checkSecurity(
  queue: string,
  options: WorkerSecurityOptions | undefined,
  role: 'producer' | 'worker',
): Security & { readonly verifyIntegrity: boolean } {
  checkOptions(options as unknown, 'options');
  const given = options ?? {};
  const { key, unsigned, root, packages, verifyIntegrity } = given;
  if (unsigned !== undefined && typeof unsigned !== 'string') {
    throw new TypeError(
      `Expected \`options.unsigned\` to be the queue's name (\`${JSON.stringify(queue)}\`), got ${describeValue(unsigned)}`,
    );
  }
  if (verifyIntegrity !== undefined) checkBoolean(verifyIntegrity, 'options.verifyIntegrity');
  const keys = key === undefined ? undefined : checkKeys(key);
  if (keys !== undefined && unsigned !== undefined) {
    throw new TypeError(
      'Expected either `options.key` or `options.unsigned`, got both: a signed queue cannot also be unsigned',
    );
  }
  if (keys === undefined && unsigned !== queue) {
    const how = `give \`options.key\` (the same key on producers and workers), or opt this queue out of signing by name with \`unsigned: ${JSON.stringify(queue)}\``;
    throw new QueueKeyError(
      unsigned === undefined
        ? `Refused to start a ${role} for queue \`${queue}\` without a key: jobs could name any allowlisted function on behalf of anyone who can write to the queue; ${how}`
        : `Refused to start a ${role} for queue \`${queue}\` without a key: \`unsigned\` names \`${unsigned}\`, not this queue; ${how}`,
    );
  }
  const policy: ReferenceOptions = {
    ...(root === undefined ? {} : { root }),
    ...(packages === undefined ? {} : { packages }),
  };
  const integrity = verifyIntegrity ?? true;
  const resolving = { ...policy, verifyIntegrity: integrity };
  return { queue, keys, policy, resolving, verifyIntegrity: integrity };
}

/** The keys of {@link WorkerSecurityOptions}, which a binding removes before its own check. */
export function securityKeys(role: 'producer' | 'worker'): readonly string[] {
  return role === 'producer' ? SECURITY_KEYS : WORKER_SECURITY_KEYS;
}

function checkKeys(key: unknown): readonly QueueKey[] {
  const list: unknown[] = Array.isArray(key) ? key : [key];
  if (list.length === 0) {
    throw new TypeError('Expected `options.key` to be a key or a non-empty array of keys, got []');
  }
  list.forEach((item, index) => {
    if (
      !(typeof item === 'string' && item.length > 0) &&
      !(item instanceof Uint8Array && item.byteLength > 0)
    ) {
      const where = Array.isArray(key) ? `options.key[${index}]` : 'options.key';
      throw new TypeError(
        `Expected \`${where}\` to be a non-empty string or Uint8Array, got ${describeValue(item)}`,
      );
    }
  });
  return Object.freeze(list as QueueKey[]);
}

/** Splits `options` into the security options and the binding's own, checking unknown keys. */
export function splitOptions<T extends object>(
  options: unknown,
  role: 'producer' | 'worker',
  own: readonly string[],
): { security: WorkerSecurityOptions; rest: Partial<T> } {
  checkOptions(options, 'options');
  if (options === undefined) return { security: {}, rest: {} };
  const known = securityKeys(role);
  checkKnownKeys(options, 'options', [...known, ...own]);
  const security: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    (known.includes(name) ? security : rest)[name] = value;
  }
  return { security: security as WorkerSecurityOptions, rest: rest as Partial<T> };
}
