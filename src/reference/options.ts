/**
 * `ReferenceOptions`, checked once per call and reduced to a `Policy`: the real path of the
 * root, the packages allowed by name, the signing key and whether digests are verified.
 */
import { checkBoolean, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { fs, path, url } from './node.js';

/** Where `toReference` may point and what `fromReference` may load. */
export interface ReferenceOptions {
  /**
   * The directory every module must live in, after symlinks are resolved; module ids are
   * `./`-relative POSIX paths from it. A path or a `file:` URL. Default: `process.cwd()`.
   *
   * Every module file under the root is trusted to be imported, with two exceptions refused
   * before any import: a path through a `node_modules` folder (an installed package is reachable
   * only by a name listed in `packages`), and selfsame's own modules other than its public
   * entry points. Give a root that holds only modules safe to import.
   */
  readonly root?: string | URL | undefined;
  /**
   * Packages that may be referenced by specifier, by exact name (`'lodash-es'`,
   * `'@acme/jobs'`); subpaths under a listed name are allowed (`'@acme/jobs/resize'`).
   */
  readonly packages?: readonly string[] | undefined;
  /**
   * The HMAC-SHA256 key: `toReference` signs with it, and `fromReference` then requires a
   * signature and verifies it before importing anything. A byte key is taken by value: its
   * bytes are copied into the policy, and a key changed in place is the new key at the next call.
   */
  readonly key?: string | Uint8Array | undefined;
  /**
   * `false` resolves a reference even when the implementation found differs from the one
   * referenced (pickle's behaviour). Default `true`: an `IntegrityError` instead.
   */
  readonly verifyIntegrity?: boolean | undefined;
}

/** Options reduced to what resolution needs. */
export interface Policy {
  /** The root's real path, without a trailing separator. */
  readonly root: string;
  readonly packages: readonly string[];
  /** The key as given, or a copy of its bytes taken when the policy was made. */
  readonly key: string | Uint8Array | undefined;
  /** The key's value as text (`s:` and the string, or `b:` and the hex bytes), for caches. */
  readonly keyId: string | undefined;
  readonly verifyIntegrity: boolean;
  /** Identifies root and packages together, for caches keyed by policy. */
  readonly id: string;
  /** Identifies root, packages and `verifyIntegrity` together: what a resolution depends on. */
  readonly resolutionId: string;
}

const OPTION_KEYS = ['root', 'packages', 'key', 'verifyIntegrity'];
// npm's package name rules: lowercase, URL-safe, optionally scoped. No `:` so no `node:` names.
export const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const MAX_PACKAGE_NAME_LENGTH = 214;

const realRoots = new Map<string, string>();

interface Memo {
  readonly root: unknown;
  readonly packages: unknown;
  /** The key object given; a byte key is also compared by content, which may change in place. */
  readonly key: unknown;
  readonly verifyIntegrity: unknown;
  readonly policy: Policy;
}

const memos = new WeakMap<object, Memo>();
let defaultPolicy: Policy | undefined;
let defaultCwd: string | undefined;

/** Checks the options (plain `TypeError`s naming the option) and returns the policy. */
export function toPolicy(options: ReferenceOptions | undefined): Policy {
  checkOptions(options as unknown, 'options');
  if (options === undefined) {
    // The common call: reuse the policy while the working directory stays the same.
    const cwd = process.cwd();
    if (defaultPolicy === undefined || defaultCwd !== cwd) {
      defaultPolicy = buildPolicy(cwd, [], undefined, true);
      defaultCwd = cwd;
    }
    return defaultPolicy;
  }
  // Callers pass one options object again and again: reuse its policy while every option still
  // holds the very same value (and the same package names), which costs a few comparisons.
  const memo = memos.get(options);
  if (
    memo !== undefined &&
    memo.root === options.root &&
    memo.key === options.key &&
    sameKeyBytes(memo.policy.key, options.key) &&
    memo.verifyIntegrity === options.verifyIntegrity &&
    memo.packages === options.packages &&
    samePackages(memo.policy.packages, options.packages)
  ) {
    return memo.policy;
  }
  checkKnownKeys(options, 'options', OPTION_KEYS);
  const root = options.root === undefined ? process.cwd() : rootPath(options.root);
  const packages = options.packages === undefined ? [] : checkPackages(options.packages);
  const { key, verifyIntegrity } = options;
  if (
    key !== undefined &&
    !(typeof key === 'string' && key.length > 0) &&
    !(key instanceof Uint8Array && key.byteLength > 0)
  ) {
    throw new TypeError(
      `Expected \`options.key\` to be a non-empty string or Uint8Array, got ${describeValue(key)}`,
    );
  }
  if (verifyIntegrity !== undefined) checkBoolean(verifyIntegrity, 'options.verifyIntegrity');
  const policy = buildPolicy(root, packages, key, verifyIntegrity ?? true);
  memos.set(options, {
    root: options.root,
    packages: options.packages,
    key,
    verifyIntegrity,
    policy,
  });
  return policy;
}

/** Whether a byte key still holds the bytes copied into the policy (strings cannot change). */
function sameKeyBytes(copied: string | Uint8Array | undefined, given: unknown): boolean {
  if (!(given instanceof Uint8Array) || !(copied instanceof Uint8Array)) return true;
  return (
    copied.byteLength === given.byteLength && copied.every((byte, index) => given[index] === byte)
  );
}

function samePackages(checked: readonly string[], given: readonly string[] | undefined): boolean {
  if (given === undefined) return checked.length === 0;
  const list = given;
  return checked.length === list.length && checked.every((name, index) => list[index] === name);
}

function buildPolicy(
  root: string,
  packages: readonly string[],
  key: string | Uint8Array | undefined,
  verifyIntegrity: boolean,
): Policy {
  const real = realRoot(root);
  const id = `${real}\0${packages.join('\0')}`;
  // Bytes are copied: a key changed in place later must not change, or keep, this policy's key.
  const ownKey = key instanceof Uint8Array ? new Uint8Array(key) : key;
  return {
    root: real,
    packages,
    key: ownKey,
    keyId: keyIdOf(ownKey),
    verifyIntegrity,
    id,
    resolutionId: `${id}\0${verifyIntegrity}`,
  };
}

function keyIdOf(key: string | Uint8Array | undefined): string | undefined {
  if (key === undefined) return undefined;
  return typeof key === 'string' ? `s:${key}` : `b:${Buffer.from(key).toString('hex')}`;
}

function rootPath(root: unknown): string {
  if (root instanceof URL) {
    if (root.protocol !== 'file:') {
      throw new TypeError(`Expected \`options.root\` to be a file: URL, got \`${root.href}\``);
    }
    return url().fileURLToPath(root);
  }
  if (typeof root !== 'string' || root.length === 0) {
    throw new TypeError(
      `Expected \`options.root\` to be a directory path or a file: URL, got ${describeValue(root)}`,
    );
  }
  return root.startsWith('file:') ? url().fileURLToPath(root) : path().resolve(root);
}

/** The real path of a root directory, cached: roots are few and rarely move. */
function realRoot(root: string): string {
  const cached = realRoots.get(root);
  if (cached !== undefined) return cached;
  let real: string;
  try {
    real = fs().realpathSync.native(root);
  } catch (error) {
    throw new TypeError(`Expected \`options.root\` to be an existing directory, got \`${root}\``, {
      cause: error,
    });
  }
  if (!fs().statSync(real).isDirectory()) {
    throw new TypeError(`Expected \`options.root\` to be a directory, got the file \`${root}\``);
  }
  const trimmed = real.length > 1 && real.endsWith(path().sep) ? real.slice(0, -1) : real;
  realRoots.set(root, trimmed);
  return trimmed;
}

function checkPackages(packages: unknown): readonly string[] {
  if (!Array.isArray(packages)) {
    throw new TypeError(
      `Expected \`options.packages\` to be an array of package names, got ${describeValue(packages)}`,
    );
  }
  packages.forEach((name: unknown, index) => {
    if (
      typeof name !== 'string' ||
      name.length > MAX_PACKAGE_NAME_LENGTH ||
      !PACKAGE_NAME.test(name)
    ) {
      throw new TypeError(
        `Expected \`options.packages[${index}]\` to be a package name such as \`lodash-es\` or \`@scope/name\`, got ${describeValue(name)}`,
      );
    }
  });
  return Object.freeze([...packages]);
}
