/**
 * `Timeline`: collects records of timed calls (from `trackExecutionTime`'s `onRecord`, from a
 * pool's workers, or read back from a file) and exports them as Chrome Trace Event JSON or as a
 * self-contained HTML page.
 *
 * @packageDocumentation
 */

import { checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeValue } from '../internal/describe.js';
import type { ExecutionRecord } from '../track-execution-time/types.js';
import { buildHTML, type HTMLOptions } from './html.js';
import { type ParseTimelineOptions, parseTimeline, TIMELINE_FORMAT } from './parse.js';
import { describeProblem, readRecord } from './record.js';
import { buildTraceEvents, type TraceEventsOptions } from './trace-events.js';
import type { TimelineDocument, TimelineRecord, TraceDocument } from './types.js';

/**
 * A collection of timed calls, on any number of threads, that exports what it holds. It imports
 * no `node:` module: it runs wherever `trackExecutionTime` does.
 *
 * @example
 * ```ts
 * import { trackExecutionTime } from 'selfsame';
 * import { Timeline } from 'selfsame/timeline';
 *
 * const timeline = new Timeline();
 * const parse = trackExecutionTime({ logger: false, onRecord: timeline.record })(
 *   function parse(text: string) { return JSON.parse(text); },
 * );
 * parse('[1, 2]');
 * writeFileSync('records.json', JSON.stringify(timeline));
 * writeFileSync('timeline.html', timeline.toHTML());
 * writeFileSync('trace.json', JSON.stringify(timeline.toTraceEvents()));
 * ```
 */
export class Timeline {
  #records: TimelineRecord[] = [];
  readonly #threads: Record<string, string> = {};

  /**
   * Adds one record. A bound function, so it can be passed as `onRecord` as it is. The thrown
   * value of a failed call is kept as text (`TypeError: bad input`), not as the object.
   *
   * @param record - an {@link ExecutionRecord} from `onRecord`, or a {@link TimelineRecord}
   * @throws TypeError when the record is malformed, naming the field and what it held
   */
  readonly record = (record: ExecutionRecord | TimelineRecord): void => {
    const read = readRecord(record, 'record');
    if ('problem' in read) throw new TypeError(describeProblem(read.problem));
    this.#records.push(read.record);
  };

  /**
   * Reads a timeline back from the JSON that `JSON.stringify(timeline)` wrote, or from a bare
   * array of records.
   *
   * @param input - JSON text, or a value parsed from it
   * @param options - `source`, the file's name for messages; `onProgress`
   * @returns a timeline holding the records and thread names read
   * @throws {@link TimelineFormatError} naming the field that is wrong and what it held
   * @throws TypeError when `options` is malformed (an unknown key, a `source` that is not a
   *   string, an `onProgress` that is not a function)
   * @example
   * ```ts
   * const timeline = Timeline.parse(readFileSync('records.json', 'utf8'), { source: 'records.json' });
   * ```
   */
  static parse(input: unknown, options?: ParseTimelineOptions): Timeline {
    const { records, threads } = parseTimeline(input, options);
    const timeline = new Timeline();
    // The parsed array itself: spreading it into `push` overflows the stack from about 120,000
    // records on.
    timeline.#records = records;
    Object.assign(timeline.#threads, threads);
    return timeline;
  }

  /** The records collected so far, in the order they arrived. */
  get records(): readonly TimelineRecord[] {
    return this.#records;
  }

  /** Names of threads by thread id, as set by {@link Timeline.nameThread}. */
  get threads(): Readonly<Record<string, string>> {
    return { ...this.#threads };
  }

  /**
   * Names a thread's lane (otherwise `main` for thread 0 and `worker N`).
   *
   * @param threadId - the thread's id, an integer from 0 and up
   * @param name - the lane's name
   * @throws TypeError when either is malformed
   * @example
   * ```ts
   * timeline.nameThread(0, 'server');
   * ```
   */
  nameThread(threadId: number, name: string): void {
    if (!Number.isSafeInteger(threadId) || threadId < 0) {
      throw new TypeError(
        `Expected \`threadId\` to be an integer from 0 and up, got ${describeValue(threadId)}`,
      );
    }
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`Expected \`name\` to be a non-empty string, got ${describeValue(name)}`);
    }
    this.#threads[String(threadId)] = name;
  }

  /**
   * The timeline as JSON data: what `JSON.stringify(timeline)` writes, and what
   * {@link Timeline.parse} and `selfsame timeline` read.
   *
   * @returns the document
   */
  toJSON(): TimelineDocument {
    return {
      format: TIMELINE_FORMAT,
      version: 1,
      threads: { ...this.#threads },
      records: this.#records,
    };
  }

  /**
   * Exports Chrome Trace Event JSON that Perfetto (ui.perfetto.dev) and `chrome://tracing` open
   * as is: a track per thread, a complete event per call, async events for overlapping calls,
   * flow arrows from dispatch to the worker, errors marked.
   *
   * @param options - `pid` (default 1) and `processName` (default `selfsame`)
   * @returns the trace document; write it with `JSON.stringify`
   * @throws TypeError when `options` is malformed
   * @example
   * ```ts
   * writeFileSync('trace.json', JSON.stringify(timeline.toTraceEvents()));
   * ```
   */
  toTraceEvents(options?: Omit<TraceEventsOptions, 'threads'>): TraceDocument {
    checkOptions(options, 'options');
    if (options !== undefined) checkKnownKeys(options, 'options', ['pid', 'processName']);
    const pid = options?.pid;
    if (pid !== undefined && (!Number.isSafeInteger(pid) || pid < 0)) {
      throw new TypeError(
        `Expected \`options.pid\` to be an integer from 0 and up, got ${describeValue(pid)}`,
      );
    }
    const processName = options?.processName;
    if (processName !== undefined && typeof processName !== 'string') {
      throw new TypeError(
        `Expected \`options.processName\` to be a string, got ${describeValue(processName)}`,
      );
    }
    return buildTraceEvents(this.#records, { pid, processName, threads: this.#threads });
  }

  /**
   * Exports one self-contained HTML page: lanes per thread, bars labelled with qualname and
   * duration, details on hover, errors in red, zoom and pan. It loads nothing from the network.
   *
   * @param options - `title` (default `selfsame timeline`)
   * @returns the page's HTML text
   * @throws TypeError when `options` is malformed
   * @example
   * ```ts
   * writeFileSync('timeline.html', timeline.toHTML({ title: 'nightly import' }));
   * ```
   */
  toHTML(options?: Omit<HTMLOptions, 'threads'>): string {
    checkOptions(options, 'options');
    if (options !== undefined) checkKnownKeys(options, 'options', ['title']);
    const title = options?.title;
    if (title !== undefined && typeof title !== 'string') {
      throw new TypeError(`Expected \`options.title\` to be a string, got ${describeValue(title)}`);
    }
    return buildHTML(this.#records, { title, threads: this.#threads });
  }
}
