/**
 * `selfsame/timeline`: see where the time went. A {@link Timeline} collects the records of timed
 * calls, on the main thread and in pool workers, and exports them as Chrome Trace Event JSON
 * (Perfetto, `chrome://tracing`) or as one self-contained HTML page.
 *
 * This entry imports no `node:` module; the command line (`selfsame timeline`) is where files are
 * read and written.
 *
 * @packageDocumentation
 */

export { TimelineFormatError } from '../errors.js';
export type { HTMLOptions } from './html.js';
export { type ParseTimelineOptions, TIMELINE_FORMAT } from './parse.js';
export { Timeline } from './timeline.js';
export type { TraceEventsOptions } from './trace-events.js';
export type {
  TimelineArg,
  TimelineDocument,
  TimelineRecord,
  TraceDocument,
  TraceEvent,
  TraceOtherData,
  TracePhase,
} from './types.js';
