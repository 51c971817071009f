/**
 * The Node built-ins that references need, reached through `process.getBuiltinModule` when a
 * reference is first made or resolved, so that importing selfsame loads no `node:` module.
 */
import { nodeBuiltin } from '../internal/builtins.js';

/** Returns a Node built-in, or throws when the runtime has none (references need Node). */
export function requireBuiltin<T>(id: `node:${string}`): T {
  const builtin = nodeBuiltin<T>(id);
  if (builtin === undefined) {
    throw new Error(
      `Function references need Node.js >= 20.16 (\`process.getBuiltinModule('${id}')\` is missing)`,
    );
  }
  return builtin;
}

export type Crypto = typeof import('node:crypto');
export type Fs = typeof import('node:fs');
export type Path = typeof import('node:path');
export type Url = typeof import('node:url');
export type Util = typeof import('node:util');
export type Inspector = typeof import('node:inspector');
export type WorkerThreads = typeof import('node:worker_threads');

/** A getter that reaches the built-in on first use and keeps it. */
function lazy<T>(id: `node:${string}`): () => T {
  let builtin: T | undefined;
  return () => {
    builtin ??= requireBuiltin<T>(id);
    return builtin;
  };
}

export const crypto = lazy<Crypto>('node:crypto');
export const fs = lazy<Fs>('node:fs');
export const path = lazy<Path>('node:path');
export const url = lazy<Url>('node:url');
export const util = lazy<Util>('node:util');
export const inspector = lazy<Inspector>('node:inspector');
export const workerThreads = lazy<WorkerThreads>('node:worker_threads');
