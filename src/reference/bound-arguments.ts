/**
 * The bound arguments of a `partial`, as a reference carries them: structured-clone data
 * written in a JSON-safe form, so that a reference stays one JSON text (the pool sends it so)
 * and its signature can cover the arguments byte for byte.
 *
 * A JSON string, boolean, finite number or `null` stands for itself; every other value is an
 * array whose first element names its kind: `["u"]` undefined, `["n", "NaN"]` a number JSON
 * cannot write (`NaN`, `Infinity`, `-Infinity`, `-0`), `["i", "12"]` a bigint, `["a", ...items]`
 * an array, `["o", key, value, ...]` a plain object, `["d", ms]` a Date, `["r", source, flags]`
 * a RegExp, `["m", key, value, ...]` a Map, `["s", ...items]` a Set, `["b", kind, base64]` an
 * ArrayBuffer or typed array.
 */
import { ReferenceFormatError } from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { util } from './node.js';

/**
 * One bound argument of a `partial`, in the JSON-safe form a function reference's `args` carries:
 * a JSON primitive for itself, or an array tagged with its kind (see the module's comment).
 */
export type EncodedArgument = string | number | boolean | null | readonly EncodedArgument[];

/** How deep a bound argument may nest, and how many values all of them may hold together. */
export const MAX_ARGUMENT_DEPTH = 64;
export const MAX_ARGUMENT_VALUES = 100_000;

const BYTE_KINDS = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;
type ByteKind = (typeof BYTE_KINDS)[number];

/** Why a value cannot be carried: a sentence ending that names it. */
export class UnencodableArgument extends Error {}

/**
 * Writes `args` in the JSON-safe form, reading own data properties only (a getter is refused,
 * not run); throws {@link UnencodableArgument} for a value structured clone would refuse or
 * change (a function, a symbol, a class instance, a cycle).
 */
export function encodeArguments(args: readonly unknown[]): EncodedArgument[] {
  const budget = { left: MAX_ARGUMENT_VALUES };
  return args.map((arg, index) => encode(arg, `argument ${index}`, 0, new Set(), budget));
}

function encode(
  value: unknown,
  at: string,
  depth: number,
  open: Set<object>,
  budget: { left: number },
): EncodedArgument {
  if (--budget.left < 0)
    throw new UnencodableArgument(
      `the bound arguments hold more than ${MAX_ARGUMENT_VALUES} values`,
    );
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return ['n', Object.is(value, -0) ? '-0' : String(value)];
  }
  if (typeof value === 'undefined') return ['u'];
  if (typeof value === 'bigint') return ['i', value.toString()];
  if (typeof value !== 'object') {
    throw new UnencodableArgument(
      `${at} is a ${typeof value}, which structured clone cannot carry`,
    );
  }
  if (util().types.isProxy(value)) throw new UnencodableArgument(`${at} is a Proxy`);
  if (depth >= MAX_ARGUMENT_DEPTH) {
    throw new UnencodableArgument(`${at} nests deeper than ${MAX_ARGUMENT_DEPTH} levels`);
  }
  if (open.has(value)) throw new UnencodableArgument(`${at} refers back to itself (a cycle)`);
  open.add(value);
  try {
    const inner = (item: unknown, where: string) => encode(item, where, depth + 1, open, budget);
    if (Array.isArray(value)) {
      return [
        'a',
        ...Array.from({ length: value.length }, (_, i) =>
          inner(dataAt(value, i, at), `${at}[${i}]`),
        ),
      ];
    }
    if (value instanceof Date) return ['d', Number.isNaN(value.getTime()) ? null : value.getTime()];
    if (value instanceof RegExp) return ['r', value.source, value.flags];
    if (value instanceof Map) {
      return [
        'm',
        ...[...value].flatMap(([k, v], i) => [
          inner(k, `${at} key ${i}`),
          inner(v, `${at}.get(key ${i})`),
        ]),
      ];
    }
    if (value instanceof Set)
      return ['s', ...[...value].map((item, i) => inner(item, `${at} item ${i}`))];
    const kind = byteKindOf(value);
    if (kind !== undefined) {
      const bytes = ArrayBuffer.isView(value)
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : Buffer.from(value as ArrayBuffer);
      return ['b', kind, bytes.toString('base64')];
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new UnencodableArgument(
        `${at} is an instance of a class, which structured clone would turn into a plain object`,
      );
    }
    const entries: EncodedArgument[] = ['o'];
    for (const key of Object.keys(value)) {
      entries.push(key, inner(dataAt(value, key, at), `${at}.${key}`));
    }
    return entries;
  } finally {
    open.delete(value);
  }
}

function dataAt(holder: object, key: string | number, at: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(holder, key);
  if (descriptor !== undefined && !('value' in descriptor)) {
    throw new UnencodableArgument(`${at} has an accessor \`${key}\` (getters are never run)`);
  }
  return descriptor?.value;
}

function byteKindOf(value: object): ByteKind | undefined {
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return BYTE_KINDS.find((kind) => kind === name && kind !== 'ArrayBuffer');
}

/**
 * Reads an untrusted `args` field into a fresh copy of its JSON-safe form: arrays of
 * primitives only, each read as an own data property of a plain, non-Proxy array, within the
 * depth and size limits, each tagged array of a known kind and shape. Runs no code of the
 * value it reads.
 */
export function readEncodedArguments(value: unknown, where: string): EncodedArgument[] {
  const budget = { left: MAX_ARGUMENT_VALUES };
  const items = readArray(value, where, 'args', budget);
  return items.map((item, index) => checked(item, where, `args[${index}]`, 0, budget));
}

function readArray(value: unknown, where: string, at: string, budget: { left: number }): unknown[] {
  if (
    typeof value !== 'object' ||
    value === null ||
    util().types.isProxy(value) ||
    !Array.isArray(value) ||
    Object.getPrototypeOf(value) !== Array.prototype
  ) {
    throw malformed(where, `\`${at}\` must be a plain array, got ${describeValue(value)}`);
  }
  const length = (Object.getOwnPropertyDescriptor(value, 'length') as PropertyDescriptor)
    .value as number;
  budget.left -= length;
  if (budget.left < 0)
    throw malformed(where, `the bound arguments hold more than ${MAX_ARGUMENT_VALUES} values`);
  const items: unknown[] = [];
  for (let index = 0; index < length; index++) {
    const descriptor = Object.getOwnPropertyDescriptor(value, index);
    if (descriptor === undefined || !('value' in descriptor)) {
      throw malformed(
        where,
        `\`${at}[${index}]\` must be a data element, got ${descriptor === undefined ? 'a hole' : 'an accessor (never run)'}`,
      );
    }
    items.push(descriptor.value);
  }
  return items;
}

function checked(
  value: unknown,
  where: string,
  at: string,
  depth: number,
  budget: { left: number },
): EncodedArgument {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw malformed(where, `\`${at}\` is a number JSON cannot write, got ${describeValue(value)}`);
  }
  if (depth >= MAX_ARGUMENT_DEPTH) {
    throw malformed(where, `\`${at}\` nests deeper than ${MAX_ARGUMENT_DEPTH} levels`);
  }
  const items = readArray(value, where, at, budget);
  const [tag, ...rest] = items;
  const strings = (count: number) =>
    rest.length === count && rest.every((item) => typeof item === 'string');
  const ok =
    (tag === 'u' && rest.length === 0) ||
    (tag === 'n' &&
      strings(1) &&
      ['NaN', 'Infinity', '-Infinity', '-0'].includes(rest[0] as string)) ||
    (tag === 'i' && strings(1) && /^-?\d{1,4096}$/.test(rest[0] as string)) ||
    (tag === 'd' && rest.length === 1 && (rest[0] === null || Number.isFinite(rest[0]))) ||
    (tag === 'r' && strings(2)) ||
    (tag === 'b' &&
      strings(2) &&
      BYTE_KINDS.includes(rest[0] as ByteKind) &&
      /^[A-Za-z0-9+/]*={0,2}$/.test(rest[1] as string)) ||
    tag === 'a' ||
    tag === 's' ||
    ((tag === 'o' || tag === 'm') && rest.length % 2 === 0);
  if (!ok) {
    throw malformed(
      where,
      `\`${at}\` is not an encoded value, got an array tagged ${describeValue(tag)} with ${rest.length} more ${rest.length === 1 ? 'item' : 'items'}`,
    );
  }
  if (tag === 'a' || tag === 's' || tag === 'm' || tag === 'o') {
    const copy: EncodedArgument[] = [tag];
    rest.forEach((item, index) => {
      if (tag === 'o' && index % 2 === 0 && typeof item !== 'string') {
        throw malformed(
          where,
          `\`${at}[${index + 1}]\` must be a key string, got ${describeValue(item)}`,
        );
      }
      copy.push(checked(item, where, `${at}[${index + 1}]`, depth + 1, budget));
    });
    return copy;
  }
  return [tag as string, ...(rest as (string | number | null)[])];
}

function malformed(where: string, why: string): ReferenceFormatError {
  return new ReferenceFormatError(`Malformed bound arguments in ${where}: ${why}`);
}

/** The values a checked encoded form stands for: fresh objects, built without setters. */
export function decodeArguments(encoded: readonly EncodedArgument[], where: string): unknown[] {
  return encoded.map((item) => decode(item, where));
}

function decode(value: EncodedArgument, where: string): unknown {
  if (!Array.isArray(value)) return value;
  const [tag, ...rest] = value as EncodedArgument[];
  const all = () => rest.map((item) => decode(item, where));
  switch (tag) {
    case 'u':
      return undefined;
    case 'n':
      return rest[0] === '-0' ? -0 : Number(rest[0]);
    case 'i':
      return BigInt(rest[0] as string);
    case 'a':
      return all();
    case 's':
      return new Set(all());
    case 'd':
      return new Date(rest[0] === null ? Number.NaN : (rest[0] as number));
    case 'r':
      try {
        return new RegExp(rest[0] as string, rest[1] as string);
      } catch (error) {
        throw new ReferenceFormatError(`Malformed bound arguments in ${where}: an invalid RegExp`, {
          cause: error,
        });
      }
    case 'm': {
      const map = new Map();
      const values = all();
      for (let i = 0; i < values.length; i += 2) map.set(values[i], values[i + 1]);
      return map;
    }
    case 'o': {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < rest.length; i += 2) {
        // Defined, not assigned: a key `__proto__` must stay an own property, never a setter.
        Object.defineProperty(object, rest[i] as string, {
          value: decode(rest[i + 1] as EncodedArgument, where),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return object;
    }
    default: {
      const bytes = Buffer.from(rest[1] as string, 'base64');
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      if (rest[0] === 'ArrayBuffer') return buffer;
      const View = globalThis[rest[0] as Exclude<ByteKind, 'ArrayBuffer'>];
      try {
        return new View(buffer);
      } catch (error) {
        throw new ReferenceFormatError(
          `Malformed bound arguments in ${where}: ${rest[0] as string} bytes of a wrong length`,
          { cause: error },
        );
      }
    }
  }
}
