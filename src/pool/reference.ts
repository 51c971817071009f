/**
 * The pool's one door to references: what it sends (`toReference`) and what its workers resolve
 * (`fromReference`), under the same policy. The pool never resolves a module id itself.
 *
 * @internal
 * @packageDocumentation
 */
export type { FunctionReference } from '../reference/format.js';
export { fromReference } from '../reference/from-reference.js';
export type { ReferenceOptions } from '../reference/options.js';
export { toReference } from '../reference/to-reference.js';
