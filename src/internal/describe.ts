/**
 * How error messages show what they received, and a function's own name, without running any
 * of the user's code.
 */

import { ownData } from './own-data.js';

/**
 * Renders any value for an error message without running user code:
 * no `toString`, no getters, no Proxy traps.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `\`${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}\` (string)`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `\`${String(value)}\` (${typeof value})`;
    case 'undefined':
      return '`undefined`';
    case 'symbol':
      // A symbol's own description is data, reading it runs nothing.
      return `\`Symbol(${value.description ?? ''})\` (symbol)`;
    case 'function': {
      const name = ownName(value);
      return name ? `function \`${name}\`` : 'an anonymous function';
    }
    default: {
      if (value === null) return '`null`';
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      return 'an object';
    }
  }
}

/** A function's own `name` when it is a string data property; never runs a getter. */
export function ownName(fn: Function): string {
  const name = ownData(fn, 'name');
  return typeof name === 'string' ? name : '';
}

/** Renders a call's arguments for an error message, as {@link describeValue} renders each. */
export function describeArguments(args: readonly unknown[]): string {
  return args.length === 0 ? 'no arguments' : args.map((arg) => describeValue(arg)).join(', ');
}
