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

let proxyCheck: ((value: unknown) => boolean) | undefined;

/**
 * Whether `value` is a Proxy, where the runtime can tell (Node's `util.types.isProxy`, reached
 * once); `false` where it cannot, as plain JavaScript has no way to ask without running a trap.
 */
export function isProxy(value: unknown): boolean {
  proxyCheck ??=
    nodeBuiltin<typeof import('node:util')>('node:util')?.types.isProxy ?? (() => false);
  return proxyCheck(value);
}
