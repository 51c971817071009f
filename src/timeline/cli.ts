/**
 * `selfsame timeline`: turns a `records.json` (what `JSON.stringify(timeline)` writes) into the
 * HTML page or the Chrome Trace Event JSON. Node-only: it reads and writes files.
 *
 * @internal
 * @packageDocumentation
 */

import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { TimelineFormatError } from '../errors.js';
import { Timeline } from './timeline.js';

/** Where the command writes: its two streams, so a test can read them. */
export interface CommandIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Inputs from this size on get progress lines on stderr. */
const LARGE_BYTES = 1_000_000;

/** The text of `selfsame timeline --help`. */
export const TIMELINE_HELP = `Usage: selfsame timeline <records.json> [-o <file>] [--format html|trace] [--title <text>]

Turns the records a Timeline collected (JSON.stringify(timeline), or an array of
trackExecutionTime records) into a timeline you can look at.

Options:
  -o, --output <file>   where to write; default timeline.html
  -f, --format <kind>   html: one self-contained page (the default, or when <file> ends in .html)
                        trace: Chrome Trace Event JSON for Perfetto and chrome://tracing
                        (the default when <file> ends in .json)
  -t, --title <text>    the page's title; default the input's file name
  -h, --help            show this help

Examples:
  npx selfsame timeline records.json -o timeline.html
  npx selfsame timeline records.json -o trace.json     # then open it in ui.perfetto.dev
`;

/** A mistake in the command line: printed with a pointer to `--help`, exit code 2. */
class UsageError extends Error {}

/**
 * Runs `selfsame timeline` with the arguments after the word `timeline`.
 *
 * @param args - the command-line arguments
 * @param io - where output goes
 * @returns the exit code: 0 done, 1 the input could not be read or is malformed, 2 usage error
 */
export async function runTimelineCommand(args: readonly string[], io: CommandIO): Promise<number> {
  try {
    await timelineCommand(args, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `selfsame timeline: ${error.message}\nRun \`selfsame timeline --help\` for usage.\n`,
      );
      return 2;
    }
    if (error instanceof TimelineFormatError) {
      io.stderr.write(`selfsame timeline: ${error.message}\n`);
      return 1;
    }
    const { code, message } = error as NodeJS.ErrnoException;
    if (typeof code === 'string' && code.startsWith('E')) {
      io.stderr.write(`selfsame timeline: ${message}\n`);
      return 1;
    }
    throw error;
  }
}

async function timelineCommand(args: readonly string[], io: CommandIO): Promise<void> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(TIMELINE_HELP);
    return;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'Expected one input file (records.json), got none'
        : `Expected one input file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const input = positionals[0] as string;
  const output = values.output ?? 'timeline.html';
  const format = values.format ?? (extname(output).toLowerCase() === '.json' ? 'trace' : 'html');
  if (format !== 'html' && format !== 'trace') {
    throw new UsageError(`Expected \`--format\` to be \`html\` or \`trace\`, got \`${format}\``);
  }
  const began = performance.now();
  const size = (await stat(input)).size;
  const large = size >= LARGE_BYTES;
  const progress = (line: string, final = true): void => {
    if (!large) return;
    if (io.stderr.isTTY === true) io.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final) io.stderr.write(`${line}\n`);
  };
  progress(`selfsame timeline: reading ${input} (${megabytes(size)})`);
  const text = await readFile(input, 'utf8');
  const timeline = Timeline.parse(text, {
    source: input,
    onProgress: (done, total) =>
      progress(
        `selfsame timeline: checked ${count(done)} of ${count(total)} records`,
        done === total,
      ),
  });
  progress(`selfsame timeline: rendering ${format === 'html' ? 'the page' : 'the trace'}`);
  const written =
    format === 'html'
      ? timeline.toHTML({ title: values.title ?? basename(input) })
      : JSON.stringify(timeline.toTraceEvents());
  await writeFile(output, written);
  const threads = new Set(timeline.records.map((record) => record.threadId)).size;
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  io.stdout.write(
    `Wrote ${output} (${megabytes(Buffer.byteLength(written))}): ${count(timeline.records.length)} records on ${threads} ${threads === 1 ? 'thread' : 'threads'}, in ${seconds} s\n`,
  );
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      title: { type: 'string', short: 't' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return bytes >= 100_000 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}
