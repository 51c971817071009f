import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timeline, type TimelineRecord } from '../../src/timeline/index.js';
import { at } from '../timeline/support.js';
import { type Browser, startChromium } from './chromium.js';

/** Screenshots land here, for CI to keep as artefacts (gitignored). */
const ARTEFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
/** The stated bound for 100,000 records to open, generous for a loaded two-core machine. */
const LARGE_BOUND_MS = 20_000;

/** `window.selfsameTimeline`, the page's test hook (docs/timeline.md). */
interface Hook {
  version: number;
  records: number;
  readyMs: number;
  lanes(): { threadId: number; name: string; rows: number; bars: number }[];
  view(): { start: number; end: number };
  setView(start: number, end: number): void;
  stats(): { frames: number; lastFrameMs: number };
  bar(index: number):
    | {
        index: number;
        threadId: number;
        qualname: string;
        start: number;
        durationMs: number;
        outcome: 'ok' | 'error';
        box: { x: number; y: number; width: number; height: number };
      }
    | undefined;
}

// The callbacks given to `page.evaluate` run in the page; this project's type check has no DOM
// library, so the little they touch is declared here.
declare const window: { selfsameTimeline: Hook };
declare const document: { getElementById(id: string): unknown };
type Element = { dataset: Record<string, string>; textContent: string | null };

let browser: Browser;
let dir = '';

beforeAll(async () => {
  browser = await startChromium();
  dir = await mkdtemp(join(tmpdir(), 'selfsame-browser-'));
  await mkdir(ARTEFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** Writes the timeline's page and opens it; resolves once the page says it has drawn. */
async function open(timeline: Timeline, name: string, bound = 30_000): Promise<Page> {
  const file = join(dir, `${name}.html`);
  await writeFile(file, timeline.toHTML({ title: name }));
  const page = await browser.context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: bound });
  expect(errors).toEqual([]);
  return page;
}

/** Opens a page already written to disk. */
async function openFile(file: string): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  expect(errors).toEqual([]);
  return page;
}

/** Two workers running the seed article's task side by side, dispatched from the main thread. */
function seedRun(): { timeline: Timeline; records: TimelineRecord[] } {
  const records = [
    at('queued meaninglessTask', 0, 0, 2, { kind: 'pool', args: { task: 1, chunk: 0 } }),
    at('queued meaninglessTask', 0, 0.1, 2.5, { kind: 'pool', args: { task: 2, chunk: 1 } }),
    at('dispatch meaninglessTask', 0, 2, 0.3, { kind: 'pool', flowOut: 1 }),
    at('dispatch meaninglessTask', 0, 2.6, 0.3, { kind: 'pool', flowOut: 2 }),
    at('task meaninglessTask', 7, 3, 505, { kind: 'pool', flowIn: 1, args: { items: 1 } }),
    at('task meaninglessTask', 8, 3.5, 506, { kind: 'pool', flowIn: 2, args: { items: 1 } }),
    at('meaninglessTask', 7, 3.2, 503, { module: 'file:///seed-pool.js' }),
    at('meaninglessTask', 8, 3.9, 504, {
      module: 'file:///seed-pool.js',
      outcome: 'error',
      error: 'RangeError: no lorem here',
    }),
  ];
  const timeline = new Timeline();
  for (const record of records) timeline.record(record);
  return { timeline, records };
}

describe('the timeline page, in headless Chromium', () => {
  it('shows the seed run that `npm run demo` writes: two workers side by side', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const run = promisify(execFile);
    await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'examples'], { cwd: root });
    await run(process.execPath, ['examples/.build/seed-pool.js'], { cwd: root });
    const page = await openFile(join(root, 'examples/.build/seed-pool.timeline.html'));
    const lanes = await page.evaluate(() => window.selfsameTimeline.lanes());
    expect(lanes).toHaveLength(3);
    expect(lanes[0]).toMatchObject({ threadId: 0, name: 'main' });
    const bars = await page.evaluate(() =>
      Array.from({ length: window.selfsameTimeline.records }, (_, i) =>
        window.selfsameTimeline.bar(i),
      ),
    );
    const tasks = bars.filter((bar) => bar?.qualname === 'meaninglessTask');
    expect(tasks).toHaveLength(2);
    type Bar = NonNullable<(typeof tasks)[number]>;
    const [first, second] = tasks as [Bar, Bar];
    expect(new Set(tasks.map((bar) => bar?.threadId)).size).toBe(2);
    // In parallel: each starts before the other ends.
    expect(first.start < second.start + second.durationMs).toBe(true);
    expect(second.start < first.start + first.durationMs).toBe(true);
    await page.mouse.move(first.box.x + first.box.width / 3, first.box.y + first.box.height / 2);
    await page.waitForSelector('#details:not([hidden])');
    expect(await page.textContent('#details dd')).toBe('meaninglessTask');
    await page.screenshot({ path: join(ARTEFACTS, 'seed-pool.png') });
    await page.close();
  });

  it('shows one lane per thread and one bar per call, and the details of a hovered bar', async () => {
    const { timeline, records } = seedRun();
    const page = await open(timeline, 'seed');
    const lanes = await page.$$eval('.lane', (elements) =>
      elements.map((element) => ({
        threadId: (element as unknown as Element).dataset.threadId,
        bars: (element as unknown as Element).dataset.bars,
        text: element.textContent,
      })),
    );
    expect(lanes).toEqual([
      { threadId: '0', bars: '4', text: 'main4 bars' },
      { threadId: '7', bars: '2', text: 'worker 72 bars' },
      { threadId: '8', bars: '2', text: 'worker 82 bars' },
    ]);
    const bars = await page.evaluate(() =>
      Array.from({ length: window.selfsameTimeline.records }, (_, i) =>
        window.selfsameTimeline.bar(i),
      ),
    );
    expect(bars.map((bar) => [bar?.qualname, bar?.threadId])).toEqual(
      records.map((record) => [record.qualname, record.threadId]),
    );
    // The two workers' calls run side by side: their bars overlap in x, in different lanes.
    const [left, right] = [bars[6], bars[7]].map((bar) => bar?.box);
    expect(left && right && left.x < right.x + right.width && right.x < left.x + left.width).toBe(
      true,
    );
    expect(left?.y).not.toBe(right?.y);

    const failed = bars[7]?.box as { x: number; y: number; width: number; height: number };
    await page.mouse.move(failed.x + failed.width / 2, failed.y + failed.height / 2);
    await page.waitForSelector('#details:not([hidden])');
    expect(await page.getAttribute('#details', 'data-index')).toBe('7');
    const details = await page.$$eval('#details dt, #details dd', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(details).toEqual([
      'qualname',
      'meaninglessTask',
      'duration',
      '504 ms',
      'start',
      expect.stringMatching(/^3\.90 ms \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/),
      'thread',
      'worker 8 (thread 8)',
      'outcome',
      'error',
      'module',
      'file:///seed-pool.js',
      'error',
      'RangeError: no lorem here',
    ]);
    await page.screenshot({ path: join(ARTEFACTS, 'timeline-seed.png') });
    await page.mouse.move(1, 1);
    await page.waitForSelector('#details[hidden]', { state: 'attached' });
    expect(browser.network).toEqual([]);
    await page.close();
  });

  it('zooms with the wheel around the pointer, pans by dragging, and resets on double-click', async () => {
    const { timeline } = seedRun();
    const page = await open(timeline, 'zoom');
    const hook = () => page.evaluate(() => window.selfsameTimeline.view());
    const before = await hook();
    const bar = await page.evaluate(() => window.selfsameTimeline.bar(6)?.box);
    const x = (bar?.x ?? 0) + 40;
    const y = (bar?.y ?? 0) + 5;
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, -500);
    await page.waitForFunction((width) => {
      const view = window.selfsameTimeline.view();
      return view.end - view.start < width / 2;
    }, before.end - before.start);
    const zoomed = await hook();
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 200, y, { steps: 4 });
    await page.mouse.up();
    const panned = await hook();
    expect(panned.start).toBeGreaterThan(zoomed.start);
    expect(panned.end - panned.start).toBeCloseTo(zoomed.end - zoomed.start, 6);
    await page.mouse.dblclick(x, y);
    await page.waitForFunction(
      (start) => window.selfsameTimeline.view().start === start,
      before.start,
    );
    expect(await hook()).toEqual(before);
    await page.close();
  });

  it(`opens 100,000 records within ${LARGE_BOUND_MS / 1000} s and pans through them`, async () => {
    const timeline = new Timeline();
    for (let i = 0; i < 100_000; i++) {
      const threadId = i % 4;
      const start = Math.floor(i / 4) * 0.2;
      timeline.record(
        at(`step${i % 11}`, threadId, start, 0.05 + (i % 7) * 0.02, {
          ...(i % 997 === 0 ? { outcome: 'error', error: 'Error: sampled' } : {}),
        }),
      );
    }
    const began = Date.now();
    const page = await open(timeline, 'large', LARGE_BOUND_MS);
    const opened = Date.now() - began;
    const summary = await page.evaluate(() => ({
      records: window.selfsameTimeline.records,
      readyMs: window.selfsameTimeline.readyMs,
      lanes: window.selfsameTimeline.lanes(),
    }));
    expect(summary.records).toBe(100_000);
    // Zoomed out, bars are narrower than a pixel and merged; a run holding a failed call is red.
    const colours = await page.evaluate(() => {
      const canvas = document.getElementById('canvas') as unknown as {
        getBoundingClientRect(): { left: number; top: number };
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: number[] };
        };
      };
      const bounds = canvas.getBoundingClientRect();
      const pixel = (index: number) => {
        const box = window.selfsameTimeline.bar(index)?.box;
        if (box === undefined) return undefined;
        const x = Math.floor(box.x - bounds.left);
        const y = Math.floor(box.y - bounds.top + box.height / 2);
        return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3));
      };
      return {
        failed: pixel(0),
        fine: pixel(4 * 100 + 1),
        width: window.selfsameTimeline.bar(0)?.box.width,
      };
    });
    expect(colours.width).toBeLessThan(1);
    expect(colours.failed).toEqual([217, 48, 37]);
    expect(colours.fine).toEqual([123, 135, 148]);
    expect(summary.lanes.map((lane) => lane.bars)).toEqual([25_000, 25_000, 25_000, 25_000]);
    const frames = await page.evaluate(() => {
      const hook = window.selfsameTimeline;
      const { start, end } = hook.view();
      const first = hook.stats().frames;
      const times: number[] = [];
      for (let step = 0; step < 30; step++) {
        // Zoom in step by step while panning across: every frame draws a different window.
        const width = (end - start) / (1 + step);
        const from = start + ((end - start - width) * step) / 29;
        hook.setView(from, from + width);
        times.push(hook.stats().lastFrameMs);
      }
      return { drawn: hook.stats().frames - first, slowest: Math.max(...times) };
    });
    expect(frames.drawn).toBe(30);
    console.log(
      `100,000 records: page opened in ${opened} ms (script ready in ${summary.readyMs.toFixed(0)} ms), slowest of 30 pan/zoom frames ${frames.slowest.toFixed(1)} ms`,
    );
    await page.screenshot({ path: join(ARTEFACTS, 'timeline-100k.png') });
    await page.close();
  });
});
