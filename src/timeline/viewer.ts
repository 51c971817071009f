/**
 * The timeline page's script. It runs in the browser, not here: {@link toHTML} inlines its source
 * (`runViewer.toString()`), so it must stay one self-contained function that references nothing
 * outside itself. The page's data arrives as JSON in a `<script type="application/json">` tag.
 *
 * It draws on one canvas: lanes per thread, rows per nesting level, a bar per record. Bars
 * narrower than a pixel are merged into runs of whole pixel columns (a column holding a failed
 * call is red), so a frame costs one pass over the visible records, not one rectangle per record.
 *
 * The test hook, `window.selfsameTimeline`, is documented in docs/timeline.md.
 *
 * @internal
 * @packageDocumentation
 */

// The DOM types are not part of this package's build (it targets Node and the core): the page
// script is typed loosely on purpose, and exercised in a real browser by test/browser/.
// biome-ignore lint/suspicious/noExplicitAny: the DOM is untyped here, see above
type Dom = any;

/**
 * Starts the viewer on the page.
 *
 * @param win - the page's `window`
 * @internal
 */
export function runViewer(win: Dom): void {
  const began = win.performance.now();
  const doc = win.document;
  const ROW = 20;
  const PAD = 6;
  const AXIS = 26;
  const data = JSON.parse(doc.getElementById('selfsame-timeline-data').textContent);
  const strings: string[] = data.strings;
  const count: number = data.index.length;
  const S = Float64Array.from(data.s as number[]);
  const D = Float64Array.from(data.d as number[]);
  const Q = Int32Array.from(data.q as number[]);
  const M = Int32Array.from(data.m as number[]);
  const ERR = Int32Array.from(data.e as number[]);
  const K = Uint8Array.from(data.k as number[]);
  const INDEX = Int32Array.from(data.index as number[]);
  const position = new Int32Array(count);
  for (let p = 0; p < count; p++) position[INDEX[p] as number] = p;
  const errorsBefore = new Int32Array(count + 1);
  for (let p = 0; p < count; p++)
    errorsBefore[p + 1] = (errorsBefore[p] as number) + ((ERR[p] as number) >= 0 ? 1 : 0);
  // Running maximum of the ends within each run: rows can fold, so ends need not be sorted.
  const reach = new Float64Array(count);
  const runs: { lane: number; row: number; first: number; last: number }[] = data.runs.map(
    (run: number[]) => ({
      lane: run[0],
      row: run[1],
      first: run[2],
      last: (run[2] as number) + (run[3] as number),
    }),
  );
  for (const run of runs) {
    let most = Number.NEGATIVE_INFINITY;
    for (let p = run.first; p < run.last; p++) {
      most = Math.max(most, (S[p] as number) + (D[p] as number));
      reach[p] = most;
    }
  }
  // A lane is at least as tall as its label (name and bar count).
  const LABEL = 44;
  const lanes: {
    threadId: number;
    name: string;
    rows: number;
    bars: number;
    top: number;
    height: number;
  }[] = [];
  let height = AXIS;
  for (const lane of data.lanes) {
    const tall = Math.max(LABEL, lane.rows * ROW + PAD * 2);
    lanes.push({ ...lane, top: height, height: tall });
    height += tall;
  }
  const span: number = Math.max(data.span, 1e-3);

  const labels = doc.getElementById('labels');
  const stage = doc.getElementById('stage');
  const canvas = doc.getElementById('canvas');
  const details = doc.getElementById('details');
  const context = canvas.getContext('2d');
  labels.style.height = `${height}px`;
  for (const lane of lanes) {
    const label = doc.createElement('div');
    label.className = 'lane';
    label.dataset.threadId = String(lane.threadId);
    label.dataset.bars = String(lane.bars);
    label.style.top = `${lane.top}px`;
    label.style.height = `${lane.height}px`;
    const name = doc.createElement('strong');
    name.textContent = lane.name;
    const calls = doc.createElement('span');
    calls.textContent = `${lane.bars.toLocaleString('en-US')} ${lane.bars === 1 ? 'bar' : 'bars'}`;
    label.append(name, calls);
    labels.append(label);
  }

  let width = 0;
  let view = { start: -span * 0.02, end: span * 1.02 };
  let scheduled = false;
  let frames = 0;
  let lastFrameMs = 0;
  let hovered = -1;

  const scale = (): number => width / (view.end - view.start);
  const xOf = (t: number): number => (t - view.start) * scale();
  const tOf = (x: number): number => view.start + x / scale();

  function hue(text: string): number {
    let hash = 0;
    for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    return Math.abs(hash) % 360;
  }
  const fills = strings.map((text) => `hsl(${hue(text)} 55% 68%)`);

  function formatMs(ms: number): string {
    const size = Math.abs(ms);
    if (size >= 1000) return `${(ms / 1000).toFixed(size >= 10000 ? 1 : 2)} s`;
    if (size >= 1) return `${ms.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2)} ms`;
    if (size === 0) return '0 ms';
    return `${(ms * 1000).toFixed(size >= 0.01 ? 0 : 2)} µs`;
  }

  function resize(): void {
    width = Math.max(100, stage.clientWidth);
    const ratio = win.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    draw();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    win.requestAnimationFrame(() => {
      scheduled = false;
      draw();
    });
  }

  function firstVisible(run: { first: number; last: number }): number {
    let low = run.first;
    let high = run.last;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((reach[middle] as number) < view.start) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  function drawAxis(): void {
    const target = (view.end - view.start) / Math.max(1, width / 110);
    const power = 10 ** Math.floor(Math.log10(target));
    const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= target) ?? power * 10;
    context.fillStyle = '#f6f7f9';
    context.fillRect(0, 0, width, AXIS);
    context.fillStyle = '#5f6b7a';
    context.strokeStyle = '#e3e6ea';
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) {
      const x = Math.round(xOf(t)) + 0.5;
      context.beginPath();
      context.moveTo(x, AXIS - 6);
      context.lineTo(x, height);
      context.stroke();
      context.fillText(formatMs(Math.abs(t) < step / 1e6 ? 0 : t), x + 3, AXIS / 2);
    }
  }

  function draw(): void {
    const started = win.performance.now();
    context.clearRect(0, 0, width, height);
    lanes.forEach((lane, index) => {
      context.fillStyle = index % 2 === 0 ? '#ffffff' : '#fafbfc';
      context.fillRect(0, lane.top, width, lane.height);
    });
    drawAxis();
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    const pxPerMs = scale();
    for (const run of runs) {
      const lane = lanes[run.lane] as (typeof lanes)[number];
      const y = lane.top + PAD + run.row * ROW;
      // Sub-pixel bars merge into runs of whole pixel columns; a column that holds a failed
      // call is drawn red on its own, so one failure never paints a whole run.
      let runFrom = -1;
      let runTo = -1;
      let lastFailed = false;
      const flush = (): void => {
        if (runFrom < 0) return;
        const plain = lastFailed ? runTo - 1 - runFrom : runTo - runFrom;
        context.fillStyle = '#7b8794';
        if (plain > 0) context.fillRect(runFrom, y + 1, plain, ROW - 2);
        if (lastFailed) {
          context.fillStyle = '#d93025';
          context.fillRect(runTo - 1, y + 1, 1, ROW - 2);
        }
        runFrom = -1;
        lastFailed = false;
      };
      for (let p = firstVisible(run); p < run.last; p++) {
        const start = S[p] as number;
        if (start > view.end) break;
        const x0 = (start - view.start) * pxPerMs;
        const w = (D[p] as number) * pxPerMs;
        const failed = (ERR[p] as number) >= 0;
        if (w < 1) {
          const column = Math.floor(x0);
          if (runFrom >= 0 && column < runTo) {
            if (failed) lastFailed = true;
          } else if (runFrom >= 0 && column === runTo && !lastFailed) {
            runTo = column + 1;
            lastFailed = failed;
          } else {
            flush();
            runFrom = column;
            runTo = column + 1;
            lastFailed = failed;
          }
          continue;
        }
        flush();
        const left = Math.max(x0, -2);
        const right = Math.min(x0 + w, width + 2);
        context.fillStyle = failed
          ? '#f28b82'
          : K[p] === 1
            ? '#c9d1da'
            : (fills[Q[p] as number] as string);
        context.fillRect(left, y + 1, right - left, ROW - 2);
        if (failed || p === hovered) {
          context.strokeStyle = failed ? '#b3261e' : '#1f2933';
          context.lineWidth = failed ? 1.5 : 2;
          context.strokeRect(left + 0.5, y + 1.5, right - left - 1, ROW - 3);
        }
        if (right - left > 34) {
          const text = `${failed ? '✕ ' : ''}${strings[Q[p] as number]} ${formatMs(D[p] as number)}`;
          context.save();
          context.beginPath();
          context.rect(left + 3, y, right - left - 6, ROW);
          context.clip();
          context.fillStyle = '#1f2933';
          context.fillText(text, left + 4, y + ROW / 2);
          context.restore();
        }
      }
      flush();
    }
    frames += 1;
    lastFrameMs = win.performance.now() - started;
  }

  function rowAt(y: number): { first: number; last: number } | undefined {
    for (const run of runs) {
      const lane = lanes[run.lane] as (typeof lanes)[number];
      const top = lane.top + PAD + run.row * ROW;
      if (y >= top && y < top + ROW) return run;
    }
    return undefined;
  }

  /** The record drawn under a point, or -1: the nearest bar within two pixels. */
  function hit(x: number, y: number): number {
    const run = rowAt(y);
    if (run === undefined) return -1;
    const slack = 2 / scale();
    const t = tOf(x);
    let best = -1;
    let distance = Number.POSITIVE_INFINITY;
    let low = run.first;
    let high = run.last;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((S[middle] as number) <= t + slack) low = middle + 1;
      else high = middle;
    }
    for (let p = low - 1; p >= run.first && (reach[p] as number) >= t - slack; p--) {
      const start = S[p] as number;
      const end = start + (D[p] as number);
      const gap = t < start ? start - t : t > end ? t - end : 0;
      if (gap <= slack && gap < distance) {
        best = p;
        distance = gap;
        if (gap === 0 && end - start > slack) break;
      }
    }
    return best;
  }

  function describe(p: number): Record<string, string> {
    const lane = lanes[runs.find((run) => p >= run.first && p < run.last)?.lane ?? 0];
    const fields: Record<string, string> = {
      qualname: strings[Q[p] as number] as string,
      duration: formatMs(D[p] as number),
      start: `${formatMs(S[p] as number)} (${new Date(data.origin + (S[p] as number)).toISOString()})`,
      thread: `${lane?.name} (thread ${lane?.threadId})`,
      outcome: (ERR[p] as number) >= 0 ? 'error' : 'ok',
    };
    if ((M[p] as number) >= 0) fields.module = strings[M[p] as number] as string;
    if ((ERR[p] as number) >= 0) fields.error = strings[ERR[p] as number] as string;
    const extra = data.args[String(p)];
    if (extra !== undefined) for (const key of Object.keys(extra)) fields[key] = String(extra[key]);
    return fields;
  }

  function show(p: number, clientX: number, clientY: number): void {
    if (p !== hovered) {
      hovered = p;
      schedule();
    }
    if (p < 0) {
      details.hidden = true;
      details.removeAttribute('data-index');
      return;
    }
    const fields = describe(p);
    details.replaceChildren();
    details.dataset.index = String(INDEX[p]);
    details.classList.toggle('failed', fields.outcome === 'error');
    for (const key of Object.keys(fields)) {
      const name = doc.createElement('dt');
      name.textContent = key;
      const value = doc.createElement('dd');
      value.textContent = fields[key];
      details.append(name, value);
    }
    details.hidden = false;
    const room = win.innerWidth - clientX - 16;
    details.style.left = `${room < details.offsetWidth ? clientX - details.offsetWidth - 12 : clientX + 14}px`;
    details.style.top = `${Math.min(clientY + 14, win.innerHeight - details.offsetHeight - 8)}px`;
  }

  function zoom(factor: number, anchorX: number): void {
    const anchor = tOf(anchorX);
    const length = Math.min(Math.max((view.end - view.start) * factor, 1e-6), span * 50);
    const ratio = anchorX / width;
    view = { start: anchor - length * ratio, end: anchor + length * (1 - ratio) };
    schedule();
  }

  function pan(pixels: number): void {
    const shift = pixels / scale();
    view = { start: view.start + shift, end: view.end + shift };
    schedule();
  }

  function reset(): void {
    view = { start: -span * 0.02, end: span * 1.02 };
    schedule();
  }

  let dragging: { x: number; start: number; end: number } | undefined;
  canvas.addEventListener(
    'wheel',
    (event: Dom) => {
      event.preventDefault();
      const bounds = canvas.getBoundingClientRect();
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        pan(event.deltaX || event.deltaY);
      } else {
        zoom(Math.exp(event.deltaY * 0.002), event.clientX - bounds.left);
      }
    },
    { passive: false },
  );
  canvas.addEventListener('pointerdown', (event: Dom) => {
    dragging = { x: event.clientX, start: view.start, end: view.end };
    canvas.setPointerCapture(event.pointerId);
    canvas.classList.add('dragging');
  });
  canvas.addEventListener('pointermove', (event: Dom) => {
    const bounds = canvas.getBoundingClientRect();
    if (dragging !== undefined) {
      const shift = (dragging.x - event.clientX) / (width / (dragging.end - dragging.start));
      view = { start: dragging.start + shift, end: dragging.end + shift };
      schedule();
      return;
    }
    show(
      hit(event.clientX - bounds.left, event.clientY - bounds.top),
      event.clientX,
      event.clientY,
    );
  });
  const release = (): void => {
    dragging = undefined;
    canvas.classList.remove('dragging');
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('pointerleave', () => {
    if (dragging === undefined) show(-1, 0, 0);
  });
  canvas.addEventListener('dblclick', reset);
  doc.getElementById('zoom-in').addEventListener('click', () => zoom(0.5, width / 2));
  doc.getElementById('zoom-out').addEventListener('click', () => zoom(2, width / 2));
  doc.getElementById('reset').addEventListener('click', reset);
  doc.addEventListener('keydown', (event: Dom) => {
    const keys: Record<string, () => void> = {
      '+': () => zoom(0.5, width / 2),
      '=': () => zoom(0.5, width / 2),
      '-': () => zoom(2, width / 2),
      '0': reset,
      ArrowLeft: () => pan(-width / 8),
      ArrowRight: () => pan(width / 8),
    };
    keys[event.key]?.();
  });
  new win.ResizeObserver(() => resize()).observe(stage);

  resize();
  const readyMs = win.performance.now() - began;

  win.selfsameTimeline = Object.freeze({
    version: 1,
    records: count,
    readyMs,
    lanes: () => lanes.map(({ threadId, name, rows, bars }) => ({ threadId, name, rows, bars })),
    view: () => ({ ...view }),
    setView: (start: number, end: number) => {
      if (!(end > start)) throw new RangeError(`Expected end > start, got ${start}..${end}`);
      view = { start, end };
      draw();
    },
    stats: () => ({ frames, lastFrameMs }),
    bar: (index: number) => {
      const p = position[index];
      if (!(index >= 0 && index < count) || p === undefined) return undefined;
      const run = runs.find((each) => p >= each.first && p < each.last) as (typeof runs)[number];
      const lane = lanes[run.lane] as (typeof lanes)[number];
      const bounds = canvas.getBoundingClientRect();
      const x0 = xOf(S[p] as number);
      const x1 = xOf((S[p] as number) + (D[p] as number));
      const top = lane.top + PAD + run.row * ROW;
      return {
        index,
        threadId: lane.threadId,
        qualname: strings[Q[p] as number],
        start: S[p],
        durationMs: D[p],
        outcome: (ERR[p] as number) >= 0 ? 'error' : 'ok',
        box: { x: bounds.left + x0, y: bounds.top + top + 1, width: x1 - x0, height: ROW - 2 },
      };
    },
  });
  doc.body.dataset.ready = 'true';
}
