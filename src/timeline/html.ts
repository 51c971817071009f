/**
 * The self-contained page: one HTML file with its styles, its script and its data inline, that
 * loads nothing from the network (no fonts, no scripts, no images), so it opens from disk, from
 * an email attachment or from a CI artefact alike.
 */

import { lanesOf, packRows } from './layout.js';
import type { TimelineArg, TimelineRecord } from './types.js';
import { runViewer } from './viewer.js';

/** Options of `Timeline.toHTML`. */
export interface HTMLOptions {
  /** The page's title; default `selfsame timeline`. */
  readonly title?: string | undefined;
  /** Names of threads by thread id; default `main` for 0 and `worker N` otherwise. */
  readonly threads?: Readonly<Record<string, string>> | undefined;
}

/** Concurrent calls past this many rows in one lane share its last row. */
const MAX_ROWS = 32;

/** What the page's script reads: columns in drawing order, strings interned. */
interface PageData {
  title: string;
  origin: number;
  span: number;
  lanes: { threadId: number; name: string; rows: number; bars: number }[];
  strings: string[];
  runs: [lane: number, row: number, first: number, count: number][];
  index: number[];
  s: number[];
  d: number[];
  q: number[];
  m: number[];
  e: number[];
  k: number[];
  args: Record<string, Readonly<Record<string, TimelineArg>>>;
}

/** Rounds to a tenth of a microsecond: enough for any bar, and a third shorter in the page. */
function tenthMicro(ms: number): number {
  return Math.round(ms * 1e4) / 1e4;
}

function pageData(records: readonly TimelineRecord[], options: HTMLOptions): PageData {
  const title = options.title ?? 'selfsame timeline';
  let origin = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    if (record.start < origin) origin = record.start;
    if (record.end > last) last = record.end;
  }
  if (records.length === 0) {
    origin = 0;
    last = 0;
  }
  const interned = new Map<string, number>();
  const intern = (text: string | undefined): number => {
    if (text === undefined) return -1;
    let id = interned.get(text);
    if (id === undefined) {
      id = interned.size;
      interned.set(text, id);
    }
    return id;
  };
  const data: PageData = {
    title,
    origin,
    span: last - origin,
    lanes: [],
    strings: [],
    runs: [],
    index: [],
    s: [],
    d: [],
    q: [],
    m: [],
    e: [],
    k: [],
    args: {},
  };
  lanesOf(records, options.threads ?? {}).forEach((lane, laneIndex) => {
    const { rows, count } = packRows(records, lane, MAX_ROWS);
    const byRow: number[][] = Array.from({ length: count }, () => []);
    for (const index of lane.order) byRow[rows.get(index) as number]?.push(index);
    data.lanes.push({
      threadId: lane.threadId,
      name: lane.name,
      rows: count,
      bars: lane.order.length,
    });
    byRow.forEach((indexes, row) => {
      data.runs.push([laneIndex, row, data.index.length, indexes.length]);
      for (const index of indexes) {
        const record = records[index] as TimelineRecord;
        if (record.args !== undefined) data.args[String(data.index.length)] = record.args;
        data.index.push(index);
        data.s.push(tenthMicro(record.start - origin));
        data.d.push(tenthMicro(record.end - record.start));
        data.q.push(intern(record.qualname));
        data.m.push(intern(record.module));
        data.e.push(record.outcome === 'error' ? intern(record.error ?? 'error') : -1);
        data.k.push(record.kind === 'pool' ? 1 : 0);
      }
    });
  });
  data.strings = [...interned.keys()];
  return data;
}

/** JSON that is safe inside a `<script>` element: no `</script>`, no `<!--`. */
function scriptJSON(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatSpan(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 10 ? 1 : 3)} ms`;
}

const STYLES = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#fff;display:flex;flex-direction:column}
header{display:flex;align-items:center;gap:16px;padding:8px 12px;border-bottom:1px solid #e3e6ea;background:#f6f7f9}
h1{font-size:15px;margin:0}
#summary{color:#5f6b7a}
header .spacer{flex:1}
header .hint{color:#8894a3;font-size:12px}
button{font:inherit;padding:2px 10px;border:1px solid #c9d1da;border-radius:4px;background:#fff;cursor:pointer}
button:hover{background:#eef1f4}
main{flex:1;overflow:auto;display:flex;align-items:flex-start}
#labels{position:relative;flex:0 0 170px;border-right:1px solid #e3e6ea}
.lane{position:absolute;left:0;right:0;padding:4px 8px;border-bottom:1px solid #eef1f4;overflow:hidden}
.lane strong{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lane span{color:#5f6b7a;font-size:12px}
#stage{flex:1;min-width:0}
#canvas{display:block;cursor:crosshair;touch-action:none}
#canvas.dragging{cursor:grabbing}
#details{position:fixed;z-index:2;max-width:520px;margin:0;padding:8px 10px;background:#fff;border:1px solid #c9d1da;border-radius:6px;box-shadow:0 4px 16px rgba(31,41,51,.15);display:grid;grid-template-columns:auto 1fr;gap:2px 10px;pointer-events:none}
#details[hidden]{display:none}
#details.failed{border-color:#d93025}
#details dt{color:#5f6b7a}
#details dd{margin:0;word-break:break-all}
`;

/**
 * Builds the page.
 *
 * @param records - checked records (see `Timeline`)
 * @param options - `title`, `threads`
 * @returns the HTML text of the whole page
 */
export function buildHTML(records: readonly TimelineRecord[], options: HTMLOptions = {}): string {
  const data = pageData(records, options);
  const threads = data.lanes.length;
  const summary = `${records.length.toLocaleString('en-US')} ${records.length === 1 ? 'bar' : 'bars'} on ${threads} ${threads === 1 ? 'thread' : 'threads'} over ${formatSpan(data.span)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHTML(data.title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header>
<h1>${escapeHTML(data.title)}</h1>
<span id="summary">${escapeHTML(summary)}</span>
<span class="spacer"></span>
<span class="hint">wheel: zoom · shift+wheel or drag: pan · double-click: reset</span>
<button id="zoom-in" type="button" title="Zoom in (+)">+</button>
<button id="zoom-out" type="button" title="Zoom out (-)">−</button>
<button id="reset" type="button" title="Show everything (0)">Reset</button>
</header>
<main>
<div id="labels"></div>
<div id="stage"><canvas id="canvas"></canvas></div>
</main>
<dl id="details" hidden></dl>
<script type="application/json" id="selfsame-timeline-data">${scriptJSON(data)}</script>
<script>(${runViewer.toString()})(window);</script>
</body>
</html>
`;
}
