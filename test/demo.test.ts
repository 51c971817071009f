import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTraceFormat } from './timeline/support.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs the demo the way `npm run demo` does after its build step, which is also the way the
 * README tells TypeScript users to run a program that uses the pool: compile with `tsc`, then
 * run the JavaScript with `node`, so that worker threads load plain JavaScript too.
 */
function runDemo(): string {
  execFileSync(
    fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url)),
    ['-p', 'examples'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return execFileSync(process.execPath, ['examples/run-all.js'], { cwd: root, encoding: 'utf8' });
}

describe('npm run demo: the seed article on worker threads', () => {
  const output = runDemo();
  const lesson = (number: number): string[] =>
    (output.split(/^## Lesson /m)[number] ?? '').trim().split('\n').slice(1);

  it('lesson 1: two workers run the decorated task, each printing its own timing lines', () => {
    const lines = lesson(1);
    const ready = lines.filter((line) => /^Worker thread \d+ ready$/.test(line));
    expect(ready).toHaveLength(2);
    const threads = new Set(
      lines.flatMap(
        (line) => /^\[thread (\d+)\] Starting meaninglessTask at /.exec(line)?.[1] ?? [],
      ),
    );
    expect(threads.size).toBe(2);
    expect(threads.has('0')).toBe(false);
    for (const thread of threads) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^\\[thread ${thread}\\] Ending meaninglessTask at `)),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^\\[thread ${thread}\\] Duration of meaninglessTask: \\d+(\\.\\d+)? ms$`),
        ),
      );
    }
    expect(lines.at(-1)).toBe('Word count results: [1, 2]');
  });

  it('lesson 1 writes its timeline: the two workers run the task in parallel', () => {
    expect(lesson(1)).toContain(
      'Timeline: examples/.build/seed-pool.timeline.html (and .trace.json for Perfetto)',
    );
    const { records } = JSON.parse(
      readFileSync(new URL('../examples/.build/seed-pool.records.json', import.meta.url), 'utf8'),
    ) as { records: { qualname: string; threadId: number; start: number; end: number }[] };
    const calls = records.filter((record) => record.qualname === 'meaninglessTask');
    expect(calls).toHaveLength(2);
    const [first, second] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect(first.threadId).not.toBe(second.threadId);
    expect(first.start < second.end && second.start < first.end).toBe(true);
    const html = readFileSync(
      new URL('../examples/.build/seed-pool.timeline.html', import.meta.url),
      'utf8',
    );
    expect(html).toContain('<title>Lesson 1: two workers</title>');
    const trace = JSON.parse(
      readFileSync(new URL('../examples/.build/seed-pool.trace.json', import.meta.url), 'utf8'),
    );
    checkTraceFormat(trace);
    const threads = trace.traceEvents
      .filter((event: { name: string }) => event.name === 'thread_name')
      .map((event: { args: { name: string } }) => event.args.name);
    expect(threads.sort()).toEqual(
      ['main', `worker ${first.threadId}`, `worker ${second.threadId}`].sort(),
    );
    const flows = trace.traceEvents.filter((event: { ph: string }) => event.ph === 'f');
    expect(flows).toHaveLength(2);
  });

  it('lesson 2: a decorator without wraps is refused with the local-object error', () => {
    expect(lesson(2)).toEqual([
      "NotReferenceableError [ERR_SELFSAME_NOT_REFERENCEABLE]: Can't serialize local object 'trackExecutionTime.<locals>.wrapper'",
    ]);
  });

  it('lesson 3: rebinding is caught by the integrity check, and the opt-out prints 6', () => {
    const lines = lesson(3);
    expect(lines[0]).toBe('Before rebinding: add(2, 3) = 5');
    expect(lines[1]).toMatch(
      /^IntegrityError \[ERR_SELFSAME_INTEGRITY\]: Refused the reference to `add` in `\.\/examples\/\.build\/rebinding\.js`: the implementation differs/,
    );
    expect(lines[2]).toBe('With verifyIntegrity: false, add(2, 3) = 6');
    expect(lines).toHaveLength(3);
  });
});
