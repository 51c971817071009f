/**
 * Reads a timeline back from JSON: a {@link TimelineDocument} as `JSON.stringify(timeline)`
 * writes it, or a bare array of records. Every refusal is a {@link TimelineFormatError} that
 * names the file, the field and what it held.
 */

import { TimelineFormatError } from '../errors.js';
import { checkFunction, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import { describeProblem, readRecord } from './record.js';
import type { TimelineDocument, TimelineRecord } from './types.js';

/** The `format` field of a {@link TimelineDocument}: tells a timeline file from any other JSON. */
export const TIMELINE_FORMAT: TimelineDocument['format'] = 'selfsame-timeline';

/** Options of `Timeline.parse`. */
export interface ParseTimelineOptions {
  /** What the text is, for messages: a file name such as `records.json`; default `the timeline`. */
  readonly source?: string | undefined;
  /** Called every 10,000 records, and once at the end, with the records checked and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** A parsed timeline: its records and its thread names. */
export interface ParsedTimeline {
  /** The records, checked. */
  readonly records: TimelineRecord[];
  /** Names of threads by thread id. */
  readonly threads: Record<string, string>;
}

const DOCUMENT_KEYS = ['format', 'version', 'threads', 'records'];

/**
 * Parses and checks a timeline.
 *
 * @param input - JSON text, or a value already parsed from it
 * @param options - `source` (for messages), `onProgress`
 * @returns the checked records and the thread names
 * @throws {@link TimelineFormatError} when the text is not JSON, is not a timeline, or a record
 *   is malformed; the message names the field, such as `records[3].start`
 */
export function parseTimeline(input: unknown, options: ParseTimelineOptions = {}): ParsedTimeline {
  checkOptions(options, 'options');
  checkKnownKeys(options, 'options', ['source', 'onProgress']);
  if (
    options.source !== undefined &&
    (typeof options.source !== 'string' || options.source === '')
  ) {
    throw new TypeError(
      `Expected \`options.source\` to be a non-empty string, got ${describeValue(options.source)}`,
    );
  }
  if (options.onProgress !== undefined) checkFunction(options.onProgress, 'options.onProgress');
  const source = options.source ?? 'the timeline';
  const fail = (path: string, detail: string, cause?: unknown): never => {
    throw new TimelineFormatError(
      `Malformed timeline in ${source}: ${detail}`,
      path,
      cause === undefined ? undefined : { cause },
    );
  };
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      fail('$', `not JSON (${(error as Error).message})`, error);
    }
  }
  let list: unknown = value;
  let prefix = '';
  const threads: Record<string, string> = {};
  if (!Array.isArray(value)) {
    if (typeof value !== 'object' || value === null) {
      fail(
        '$',
        `Expected an object with \`format: "${TIMELINE_FORMAT}"\` or an array of records, got ${describeValue(value)}`,
      );
    }
    const document = value as Partial<Record<keyof TimelineDocument, unknown>>;
    if ('traceEvents' in document) {
      fail(
        'traceEvents',
        'this is Chrome Trace Event JSON (it has `traceEvents`), not a timeline: open it in Perfetto or chrome://tracing as it is; a timeline file is what `JSON.stringify(timeline)` writes',
      );
    }
    for (const key of Object.keys(document)) {
      if (!DOCUMENT_KEYS.includes(key)) {
        fail(
          key,
          `Unknown field \`${key}\`; expected one of ${DOCUMENT_KEYS.map((k) => `\`${k}\``).join(', ')}`,
        );
      }
    }
    if (document.format !== TIMELINE_FORMAT) {
      fail(
        'format',
        `Expected \`format\` to be \`"${TIMELINE_FORMAT}"\`, got ${describeValue(document.format)}`,
      );
    }
    if (document.version !== 1) {
      fail(
        'version',
        `Expected \`version\` to be \`1\` (the only version this selfsame reads), got ${describeValue(document.version)}`,
      );
    }
    const names = document.threads ?? {};
    if (typeof names !== 'object' || names === null || Array.isArray(names)) {
      fail(
        'threads',
        `Expected \`threads\` to be an object of thread names by id, got ${describeValue(names)}`,
      );
    }
    for (const [id, name] of Object.entries(names as object)) {
      if (!/^(0|[1-9]\d*)$/.test(id) || typeof name !== 'string') {
        fail(
          `threads.${id}`,
          `Expected \`threads\` to map thread ids (integers) to names (strings), got \`${id}\`: ${describeValue(name)}`,
        );
      }
      threads[id] = name as string;
    }
    list = document.records;
    prefix = 'records';
    if (!Array.isArray(list)) {
      fail('records', `Expected \`records\` to be an array, got ${describeValue(list)}`);
    }
  }
  const given = list as unknown[];
  const records: TimelineRecord[] = new Array(given.length);
  for (let index = 0; index < given.length; index++) {
    const read = readRecord(given[index], `${prefix}[${index}]`);
    if ('problem' in read) fail(read.problem.path, describeProblem(read.problem));
    else records[index] = read.record;
    const done = index + 1;
    if (options.onProgress !== undefined && done % 10_000 === 0 && done < given.length) {
      options.onProgress(done, given.length);
    }
  }
  options.onProgress?.(given.length, given.length);
  return { records, threads };
}
