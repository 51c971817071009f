// Fixture modules for reference tests, loaded natively (not through vitest's module runner),
// exactly as the library loads them: a reference resolves only to a real module instance.
import { loadNamespace } from '../../src/reference/load-module.js';

export const root = new URL('../fixtures/reference/', import.meta.url);

/** The options every test passes: modules live under the fixtures directory. */
export const options = { root } as const;

export interface Tripwires {
  inits: Record<string, number>;
  getters: number;
  traps: number;
  thens: number;
  calls: number;
}

// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
export type FixtureModule = Record<string, any>;

/**
 * The native namespace of a fixture module, e.g. `fixture('tasks.js')`. Never awaited bare by
 * the helpers: a namespace that exports `then` would be called as a thenable.
 */
export async function fixture(file: string): Promise<FixtureModule> {
  const { namespace } = await loadNamespace(new URL(file, root).href, file);
  if ('then' in namespace) throw new Error(`Use loadNamespace for ${file}: it exports \`then\``);
  return namespace as FixtureModule;
}

/** The tripwire counters the fixtures share, loading them first if needed. */
export async function tripwires(): Promise<Tripwires> {
  return (await fixture('tripwires.js')).tripwires as Tripwires;
}
