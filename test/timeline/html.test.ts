import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/timeline/index.js';
import { at } from './support.js';

/** The JSON data the page embeds for its script. */
function dataOf(html: string): Record<string, unknown> {
  const match =
    /<script type="application\/json" id="selfsame-timeline-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(match?.[1] ?? 'null');
}

describe('Timeline.toHTML', () => {
  const timeline = new Timeline();
  timeline.record(at('meaninglessTask', 1, 0, 500, { module: 'file:///seed.js' }));
  timeline.record(at('meaninglessTask', 2, 1, 500, { outcome: 'error', error: 'Error: x' }));
  timeline.record(at('</script><script>alert(1)</script>', 0, 2, 1));

  it('is one self-contained page: no external script, style, font or image, and a CSP that forbids them', () => {
    const html = timeline.toHTML();
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(|@font-face/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('cannot be broken out of by a qualname: the data stays inside its script element', () => {
    const html = timeline.toHTML();
    expect(html).not.toContain('<script>alert(1)');
    expect(dataOf(html).strings).toContain('</script><script>alert(1)</script>');
  });

  it('escapes the title', () => {
    const html = timeline.toHTML({ title: 'a <b> & "c"' });
    expect(html).toContain('<title>a &#60;b&#62; &#38; &#34;c&#34;</title>');
  });

  it('embeds one lane per thread and one bar per record, with the errors and modules', () => {
    const data = dataOf(timeline.toHTML());
    expect(data.lanes).toEqual([
      { threadId: 0, name: 'main', rows: 1, bars: 1 },
      { threadId: 1, name: 'worker 1', rows: 1, bars: 1 },
      { threadId: 2, name: 'worker 2', rows: 1, bars: 1 },
    ]);
    expect(data.index).toEqual([2, 0, 1]);
    expect(data.s).toEqual([2, 0, 1]);
    expect(data.d).toEqual([1, 500, 500]);
    const strings = data.strings as string[];
    expect((data.e as number[]).map((e) => strings[e])).toEqual([undefined, undefined, 'Error: x']);
    expect((data.m as number[]).map((m) => strings[m])).toEqual([
      undefined,
      'file:///seed.js',
      undefined,
    ]);
  });

  it('stacks nested calls in rows and folds concurrency past 32 rows into the last row', () => {
    const busy = new Timeline();
    busy.record(at('outer', 0, 0, 100));
    busy.record(at('inner', 0, 10, 10));
    for (let i = 0; i < 40; i++) busy.record(at('concurrent', 3, i, 1000));
    const data = dataOf(busy.toHTML());
    expect(data.lanes).toEqual([
      { threadId: 0, name: 'main', rows: 2, bars: 2 },
      { threadId: 3, name: 'worker 3', rows: 32, bars: 40 },
    ]);
    const runs = data.runs as number[][];
    expect(runs.slice(0, 2)).toEqual([
      [0, 0, 0, 1],
      [0, 1, 1, 1],
    ]);
    expect(runs.at(-1)).toEqual([1, 31, 33, 9]);
  });
});
