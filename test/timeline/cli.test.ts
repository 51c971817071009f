import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timeline } from '../../src/timeline/index.js';
import { at } from './support.js';

const bin = fileURLToPath(new URL('../../dist/bin/selfsame.js', import.meta.url));
const run = promisify(execFile);

/** Runs the built `selfsame` command; resolves with its exit code and both streams. */
async function selfsame(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('selfsame timeline (the command line)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'selfsame-cli-'));
    const timeline = new Timeline();
    timeline.record(at('meaninglessTask', 1, 0, 500));
    timeline.record(at('meaninglessTask', 2, 0, 500));
    await writeFile(join(dir, 'records.json'), JSON.stringify(timeline));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints its help', async () => {
    const result = await selfsame(dir, 'timeline', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: selfsame timeline <records\.json> \[-o <file>\]/);
    expect(result.stdout).toContain('npx selfsame timeline records.json -o timeline.html');
  });

  it('writes the page, and says what it wrote', async () => {
    const result = await selfsame(dir, 'timeline', 'records.json', '-o', 'timeline.html');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Wrote timeline\.html \(\d+\.\d kB\): 2 records on 2 threads, in \d+\.\d s\n$/,
    );
    const html = await readFile(join(dir, 'timeline.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>records.json</title>');
  });

  it('writes Chrome Trace Event JSON when the output ends in .json', async () => {
    const result = await selfsame(dir, 'timeline', 'records.json', '-o', 'trace.json');
    expect(result.code).toBe(0);
    const trace = JSON.parse(await readFile(join(dir, 'trace.json'), 'utf8'));
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.traceEvents.filter((event: { ph: string }) => event.ph === 'X')).toHaveLength(2);
  });

  it('refuses a malformed file, naming the file, the field and the value (exit code 1)', async () => {
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify([at('a', 0, 0, 1), { ...at('b', 0, 0, 1), threadId: 'worker' }]),
    );
    const result = await selfsame(dir, 'timeline', 'bad.json', '-o', 'bad.html');
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'selfsame timeline: Malformed timeline in bad.json: Expected `[1].threadId` to be an integer from 0 and up, got `"worker"` (string)\n',
    });
  });

  it('says when the input is missing, and when the command line is wrong (exit code 2)', async () => {
    const missing = await selfsame(dir, 'timeline', 'nothing.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "selfsame timeline: ENOENT: no such file or directory, stat 'nothing.json'\n",
    );
    const none = await selfsame(dir, 'timeline');
    expect(none).toMatchObject({
      code: 2,
      stderr:
        'selfsame timeline: Expected one input file (records.json), got none\nRun `selfsame timeline --help` for usage.\n',
    });
    const format = await selfsame(dir, 'timeline', 'records.json', '--format', 'svg');
    expect(format.stderr).toBe(
      'selfsame timeline: Expected `--format` to be `html` or `trace`, got `svg`\nRun `selfsame timeline --help` for usage.\n',
    );
    const unknown = await selfsame(dir, 'draw');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^selfsame: unknown command `draw`\n\nUsage: selfsame <command>/,
    );
  });

  it('prints progress lines on stderr for a large input', async () => {
    const timeline = new Timeline();
    for (let i = 0; i < 20_000; i++) timeline.record(at(`f${i % 5}`, i % 3, i * 0.1, 0.05));
    await writeFile(join(dir, 'large.json'), JSON.stringify(timeline));
    const result = await selfsame(dir, 'timeline', 'large.json', '-o', 'large.html');
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^selfsame timeline: reading large\.json \(\d+\.\d MB\)$/),
      'selfsame timeline: checked 20,000 of 20,000 records',
      'selfsame timeline: rendering the page',
      '',
    ]);
    expect(result.stdout).toMatch(/: 20,000 records on 3 threads, in /);
  });
});
