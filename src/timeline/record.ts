/**
 * Turns what a timeline is given (an `onRecord` record, or a record read back from JSON) into a
 * {@link TimelineRecord}, or says which field is wrong. The check returns the problem as data so
 * that a programmatic call can throw a `TypeError` and a file read a `TimelineFormatError`, each
 * with the same words.
 */

import { describeValue } from '../internal/describe.js';
import { ownConstructor, ownData } from '../internal/own-data.js';
import type { TimelineArg, TimelineRecord } from './types.js';

/** A field that failed its check: where, what it should be, and what it was. */
export interface RecordProblem {
  readonly path: string;
  readonly expected: string;
  readonly got: unknown;
}

/** The result of reading one record: the record, or the first problem found. */
export type ReadRecord = { readonly record: TimelineRecord } | { readonly problem: RecordProblem };

const KNOWN = new Set([
  'qualname',
  'module',
  'start',
  'end',
  'durationMs',
  'outcome',
  'error',
  'threadId',
  'kind',
  'flowOut',
  'flowIn',
  'args',
]);

/**
 * Reads one record. `error` may be anything (an `onRecord` record carries the thrown value): it
 * becomes text. Unknown fields are refused, so that a typo is not silently dropped.
 */
export function readRecord(input: unknown, path: string): ReadRecord {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return problem(path, 'an object', input);
  }
  const given = input as Record<string, unknown>;
  for (const key in given) {
    if (!KNOWN.has(key) && Object.hasOwn(given, key)) {
      return problem(
        `${path}.${key}`,
        `absent (not a record field; the fields are ${[...KNOWN].join(', ')})`,
        given[key],
      );
    }
  }
  const { qualname, module, start, end, outcome, threadId, kind, flowOut, flowIn, args } = given;
  if (typeof qualname !== 'string' || qualname === '') {
    return problem(`${path}.qualname`, 'a non-empty string', qualname);
  }
  if (module !== undefined && typeof module !== 'string') {
    return problem(`${path}.module`, 'a string or absent', module);
  }
  if (typeof start !== 'number' || !Number.isFinite(start)) {
    return problem(`${path}.start`, 'a finite number of milliseconds since the Unix epoch', start);
  }
  if (typeof end !== 'number' || !Number.isFinite(end) || end < start) {
    return problem(
      `${path}.end`,
      `a finite number of milliseconds, not before \`start\` (${start})`,
      end,
    );
  }
  if (outcome !== 'ok' && outcome !== 'error') {
    return problem(`${path}.outcome`, '`"ok"` or `"error"`', outcome);
  }
  if (typeof threadId !== 'number' || !Number.isSafeInteger(threadId) || threadId < 0) {
    return problem(`${path}.threadId`, 'an integer from 0 and up', threadId);
  }
  if (kind !== undefined && kind !== 'call' && kind !== 'pool') {
    return problem(`${path}.kind`, '`"call"`, `"pool"` or absent', kind);
  }
  if (flowOut !== undefined && !Number.isSafeInteger(flowOut)) {
    return problem(`${path}.flowOut`, 'an integer or absent', flowOut);
  }
  if (flowIn !== undefined && !Number.isSafeInteger(flowIn)) {
    return problem(`${path}.flowIn`, 'an integer or absent', flowIn);
  }
  const checkedArgs = readArgs(args, `${path}.args`);
  if ('problem' in checkedArgs) return checkedArgs;
  // One literal with every field, absent ones `undefined` (JSON leaves them out): one shape for
  // every record, and no intermediate objects, on the path every collected call takes.
  const record: TimelineRecord = {
    qualname,
    module,
    start,
    end,
    outcome,
    error: outcome === 'error' ? describeThrown(given.error) : undefined,
    threadId,
    kind,
    flowOut: flowOut as number | undefined,
    flowIn: flowIn as number | undefined,
    args: checkedArgs.args,
  };
  return { record };
}

/** Renders a problem as the end of a message: ``Expected `records[3].start` to be ..., got ...``. */
export function describeProblem(found: RecordProblem): string {
  return `Expected \`${found.path}\` to be ${found.expected}, got ${describeValue(found.got)}`;
}

function readArgs(
  args: unknown,
  path: string,
):
  | { readonly args: Record<string, TimelineArg> | undefined }
  | { readonly problem: RecordProblem } {
  if (args === undefined) return { args: undefined };
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return problem(path, 'an object or absent', args);
  }
  const copy: Record<string, TimelineArg> = {};
  for (const [key, value] of Object.entries(args)) {
    if (
      value !== null &&
      typeof value !== 'string' &&
      typeof value !== 'boolean' &&
      !(typeof value === 'number' && Number.isFinite(value))
    ) {
      return problem(`${path}.${key}`, 'a string, a finite number, a boolean or null', value);
    }
    copy[key] = value;
  }
  return { args: copy };
}

/**
 * A thrown value as text, read without running user code: an error's `name` and `message` as
 * data properties of the error or of its first two prototypes (never a getter), a string as it
 * is, anything else by its kind.
 */
export function describeThrown(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null) {
    const message = ownString(thrown, 'message');
    const name = ownString(thrown, 'name') ?? constructorName(thrown);
    if (message !== undefined) return name === undefined ? message : `${name}: ${message}`;
    if (name !== undefined) return name;
  }
  return describeValue(thrown);
}

/** A string data property of the value or of its first two prototypes (where `Error` keeps `name`). */
function ownString(value: object, key: string): string | undefined {
  let target: object | null = value;
  // The value, its prototype, and one more: a subclass of `Error` inherits `name` from `Error.prototype`.
  for (let depth = 0; depth < 3 && target !== null; depth++) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor !== undefined) {
      return 'value' in descriptor && typeof descriptor.value === 'string'
        ? descriptor.value
        : undefined;
    }
    target = Object.getPrototypeOf(target);
  }
  return undefined;
}

function constructorName(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value) as object | null;
  const ctor = proto === null ? undefined : ownConstructor(proto);
  const name = ctor === undefined ? undefined : ownData(ctor, 'name');
  return typeof name === 'string' && name !== 'Object' ? name : undefined;
}

function problem(
  path: string,
  expected: string,
  got: unknown,
): { readonly problem: RecordProblem } {
  return { problem: { path, expected, got } };
}
