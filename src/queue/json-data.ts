/**
 * Arguments and results travel through the engines as JSON. `JSON.stringify` changes what it
 * cannot represent without a word (a `Date` becomes a string, `undefined` in an array `null`, a
 * `Map` `{}`), so values are checked first and refused with the path of the first offender.
 */
import { describeKind } from '../pool/envelope.js';

const MAX_DEPTH = 64;

/**
 * Describes the first part of `value` that JSON would not carry unchanged ("`args[0].when` is an
 * object of class `Date`"), or returns `undefined` when all of it is JSON data. Only own data
 * properties are read, so no getter runs.
 */
export function jsonIssue(value: unknown, path: string, depth = 0): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : `\`${path}\` is \`${value}\`, which JSON stores as null`;
    case 'object':
      break;
    default:
      return `\`${path}\` is ${describeKind(value)}`;
  }
  if (value === null) return undefined;
  if (depth >= MAX_DEPTH) return `\`${path}\` is nested deeper than ${MAX_DEPTH} levels (a cycle?)`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!Object.hasOwn(value, index)) return `\`${path}[${index}]\` is a hole`;
      const issue = jsonIssue(value[index], `${path}[${index}]`, depth + 1);
      if (issue !== undefined) return issue;
    }
    return undefined;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    return `\`${path}\` is ${describeKind(value)}`;
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') return `\`${path}\` has a symbol key`;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !descriptor.enumerable) continue;
    if (!('value' in descriptor)) return `\`${path}.${key}\` is a getter`;
    const issue = jsonIssue(descriptor.value, `${path}.${key}`, depth + 1);
    if (issue !== undefined) return issue;
  }
  return undefined;
}
