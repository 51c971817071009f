/**
 * The argument checks every public function shares: each throws a `TypeError` that names the
 * argument and echoes what it received.
 */

import { describeValue } from './describe.js';

/** Throws a `TypeError` naming `argument` unless `value` is a function. */
export function checkFunction(value: unknown, argument: string): asserts value is Function {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${argument}\` to be a function, got ${describeValue(value)}`);
  }
}

/** Throws a `TypeError` naming `argument` unless `value` is a boolean. */
export function checkBoolean(value: unknown, argument: string): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`Expected \`${argument}\` to be a boolean, got ${describeValue(value)}`);
  }
}

/** Throws a `TypeError` naming `argument` unless `value` is undefined or a plain options object. */
export function checkOptions(
  value: unknown,
  argument: string,
): asserts value is Record<string, unknown> | undefined {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`${argument}\` to be an object, got ${describeValue(value)}`);
  }
}

/** Throws a `TypeError` naming `argument.key` if `options` has a key outside `known`. */
export function checkKnownKeys(options: object, argument: string, known: readonly string[]): void {
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key !== 'string' || !known.includes(key)) {
      throw new TypeError(
        `Unknown option \`${argument}.${String(key)}\`; expected one of ${known.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
}
