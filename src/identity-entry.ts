/**
 * selfsame's smallest entry, `selfsame/identity`: `defineIdentity` and `identityOf` alone, for a
 * module that only names its functions so that they travel by reference (a pool's task module,
 * say). It loads 9 files where `selfsame/core` loads 22; a pool worker imports every task module
 * it runs, and on Node's ES loader each file costs a worker start-up time
 * (docs/performance.md, "Start-up"). All entries share the same modules, so mixing them is safe.
 *
 * @example
 * ```ts
 * import { defineIdentity } from 'selfsame/identity';
 * export const double = defineIdentity((x: number) => x * 2, { qualname: 'double', module: import.meta });
 * ```
 *
 * @packageDocumentation
 */

export {
  type AnyFunction,
  defineIdentity,
  type Identity,
  type IdentityInit,
  type ImportMetaLike,
  identityOf,
} from './identity.js';
