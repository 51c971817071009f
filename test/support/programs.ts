import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const programs = new URL('../fixtures/pool/programs/', import.meta.url);

/**
 * Runs a program of `test/fixtures/pool/programs/` in its own Node process (from the repository
 * root unless `cwd` says otherwise), bounded in time, and returns what it printed.
 */
export async function runProgram(
  name: string,
  {
    args = [],
    execArgv = [],
    cwd = root,
  }: { args?: string[]; execArgv?: string[]; cwd?: string } = {},
): Promise<string> {
  const file = fileURLToPath(new URL(name, programs));
  const { stdout } = await run(process.execPath, [...execArgv, file, ...args], {
    cwd,
    timeout: 30_000,
    encoding: 'utf8',
  });
  return stdout;
}

/** The path of a program of `test/fixtures/pool/programs/`. */
export function programPath(name: string): string {
  return fileURLToPath(new URL(name, programs));
}
