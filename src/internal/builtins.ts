/**
 * Reaches Node's built-in modules without a static `node:` import, so that the isomorphic core
 * loads in any runtime. `process.getBuiltinModule` exists from Node 20.16; elsewhere the
 * answer is `undefined` and callers fall back.
 */
type GetBuiltinModule = (id: string) => unknown;

export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;
  return typeof proc?.getBuiltinModule === 'function'
    ? (proc.getBuiltinModule(id) as T | undefined)
    : undefined;
}
