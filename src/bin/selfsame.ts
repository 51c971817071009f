#!/usr/bin/env node
/**
 * The `selfsame` command. One subcommand so far: `selfsame timeline` (see
 * `selfsame timeline --help`).
 *
 * @internal
 * @packageDocumentation
 */

import { runTimelineCommand } from '../timeline/cli.js';

const USAGE = `Usage: selfsame <command> [options]

Commands:
  timeline <records.json> -o <file>   draw the records a Timeline collected (HTML or Perfetto JSON)

Run \`selfsame <command> --help\` for a command's options.
`;

const [command, ...rest] = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr };
if (command === 'timeline') {
  runTimelineCommand(rest, io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
} else if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
  process.exitCode = command === undefined ? 2 : 0;
} else {
  process.stderr.write(`selfsame: unknown command \`${command}\`\n\n${USAGE}`);
  process.exitCode = 2;
}
