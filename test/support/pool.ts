/**
 * Shared by the pool's feature tests: fixture modules loaded natively (as workers load them, so
 * that a reference resolves to the very module instance the test holds), and small pools that are
 * terminated after each test whatever happens.
 */
import { afterEach } from 'vitest';
import { Pool, type PoolOptions } from '../../dist/pool/index.js';
import { loadNamespace } from '../../dist/reference/load-module.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
export type Fixture = Record<string, any>;

/** Loads `test/fixtures/pool/<file>` natively. */
export async function loadPoolFixture(file: string): Promise<Fixture> {
  const url = new URL(`../fixtures/pool/${file}`, import.meta.url).href;
  return (await loadNamespace(url, file)).namespace as Fixture;
}

/** Returns `open(options)`: a pool of two workers, terminated after the current test. */
export function usePools(): (options?: PoolOptions) => Pool {
  const pools: Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
  });
  return (options = {}) => {
    const pool = new Pool({ size: 2, ...options });
    pools.push(pool);
    return pool;
  };
}

/** An `onProgress` that throws the same error every time it is called, and counts its calls. */
export function brokenProgress(): {
  readonly thrown: Error;
  readonly onProgress: () => never;
  readonly calls: () => number;
} {
  const thrown = new Error('the progress bar broke');
  let calls = 0;
  return {
    thrown,
    onProgress: () => {
      calls += 1;
      throw thrown;
    },
    calls: () => calls,
  };
}
