// The consumer matrix (`npm run test:consumers`): packs selfsame, installs the tarball beside
// every toolchain and runtime a TypeScript user runs it with, runs the same consumer program in
// each cell, and compares each cell's result with the table in docs/compatibility.md. The
// matrix fails when a cell behaves differently from what the table says, in either direction.
//
// Usage: node test/consumers/run.js [--update] [cell-name ...]   (no names: every cell)
// --update writes the measured results into the table instead of failing on a difference
// (then read the diff: a changed result needs its reason and workaround in the guide too).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { cells } from './cells.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const work = join(repo, '.build/consumers');
const bin = {
  node20: process.execPath,
  node22: join(work, 'node_modules/node22/bin/node'),
  node24: join(work, 'node_modules/node24/bin/node'),
  node26: join(work, 'node_modules/node26/bin/node'),
  // The platform package's binary: bun's postinstall (which only links it) is denied.
  bun: join(work, 'node_modules/@oven/bun-linux-x64/bin/bun'),
  deno: join(work, 'node_modules/@deno/linux-x64-glibc/deno'),
};
const commandTimeout = 300_000;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: commandTimeout,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) return { ok: false, output: `${output}\n${result.error.message}`, stdout: '' };
  return { ok: result.status === 0, output, stdout: result.stdout };
}

function must(command, args, options) {
  const result = run(command, args, options);
  if (!result.ok) throw new Error(`${command} ${args.join(' ')} failed:\n${result.output}`);
  return result;
}

/** Packs the tarball (prepack builds) and checks it holds only what a user needs. */
function pack() {
  mkdirSync(work, { recursive: true });
  const { stdout } = must('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo });
  // prepack's own output comes first: the JSON is the last thing npm prints.
  const [packed] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[\n') + 1));
  const allowed =
    /^(dist\/.+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
  const stray = packed.files.map((file) => file.path).filter((path) => !allowed.test(path));
  if (stray.length > 0)
    throw new Error(`the tarball holds more than the build: ${stray.join(', ')}`);
  if (!packed.files.some((file) => file.path === 'dist/pool/index.js')) {
    throw new Error('the tarball has no dist/: did prepack build?');
  }
  return join(work, packed.filename);
}

/** Installs the toolchain from its lock file once (again when the lock changes), then the tarball. */
function install(tarball) {
  const toolchain = join(here, 'toolchain');
  const lock = readFileSync(join(toolchain, 'package-lock.json'));
  const stamp = createHash('sha256').update(lock).digest('hex');
  const marker = join(work, 'node_modules/.toolchain-lock');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== stamp) {
    cpSync(join(toolchain, 'package.json'), join(work, 'package.json'));
    cpSync(join(toolchain, 'package-lock.json'), join(work, 'package-lock.json'));
    must('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: work });
    writeFileSync(marker, stamp);
  }
  // From here on nothing reaches the network: the tarball's one dependency is in the lock.
  must(
    'npm',
    ['install', '--no-save', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
    { cwd: work },
  );
}

// The line naming the error, before any line that merely mentions one (source excerpts).
const errorLines = [
  /^\s*(?:[\w.]+ - )?(?:error TS\d+|[A-Z][A-Za-z]*Error\b|error:|Error:)/,
  /error TS\d+|[A-Z][A-Za-z]*Error\b/,
];

/** The first line of `output` that reads as an error, with this machine's paths taken out. */
function firstError(output, cellDir) {
  const lines = stripVTControlCharacters(output).split('\n');
  const line =
    errorLines.map((pattern) => lines.find((text) => pattern.test(text))).find(Boolean) ??
    lines.find((text) => text.trim());
  return (line ?? 'no output').trim().replaceAll(`${cellDir}/`, '').replaceAll(cellDir, '.');
}

function runCell(cell) {
  const dir = join(work, 'cells', cell.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of cell.app) {
    const source = readFileSync(join(here, 'app', file), 'utf8');
    writeFileSync(join(dir, file), cell.rewrite ? cell.rewrite(source) : source);
  }
  for (const [file, content] of Object.entries(cell.files)) {
    const text =
      typeof content === 'string'
        ? content
        : content.copy
          ? readFileSync(join(here, content.copy), 'utf8')
          : `${JSON.stringify(content, null, 2)}\n`;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  if (cell.from)
    cpSync(join(work, 'cells', cell.from, 'build'), join(dir, 'build'), { recursive: true });
  const context = { dir, work, bin, here };
  for (const [command, ...args] of cell.build?.(context) ?? []) {
    const built = run(command, args, { cwd: dir });
    if (!built.ok) return `fails to build: ${firstError(built.output, dir)}`;
  }
  const report = join(dir, 'report.json');
  const [command, ...args] = cell.run(context);
  const ran = run(command, args, { cwd: dir, env: { ...cell.env, SELFSAME_REPORT: report } });
  if (!existsSync(report)) return [{ step: 'run', error: firstError(ran.output, dir) }];
  const { failures } = JSON.parse(readFileSync(report, 'utf8'));
  return failures.map(({ step, error }) => ({ step, error: error.replaceAll(`${dir}/`, '') }));
}

// docs/compatibility.md holds the expected results twice over: the table says which steps of
// a cell fail, and the list between the markers says what each failing step raised.
const guide = join(repo, 'docs/compatibility.md');
const row = /^(\|\s*`([a-z0-9.-]+)`\s*\|.*\|\s*)(passes|fails: [a-zA-Z., ]+?)(\s*\|)$/;
const begin = '<!-- measured: begin -->';
const end = '<!-- measured: end -->';
const detail = /^- `([a-z0-9.-]+)`, (.+?): (.*)$/;

// An error is plain text; in Markdown `<locals>` would read as HTML.
const toMarkdown = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const fromMarkdown = (text) => text.replaceAll('&lt;', '<').replaceAll('&amp;', '&');
const statusOf = (failures) =>
  failures.length === 0 ? 'passes' : `fails: ${failures.map(({ step }) => step).join(', ')}`;
const describe = (failures, status = statusOf(failures)) =>
  [status, ...failures.map(({ step, error }) => `${step}: ${error}`)].join('\n  ');

/** The expected results read from the guide: cell name to its failures. */
function expectedResults() {
  const text = readFileSync(guide, 'utf8');
  const expected = new Map();
  for (const line of text.split('\n')) {
    const match = row.exec(line);
    if (match) expected.set(match[2], { status: match[3], failures: [] });
  }
  const list = text.slice(text.indexOf(begin), text.indexOf(end)).split('\n');
  for (const line of list) {
    const match = detail.exec(line);
    if (match)
      expected.get(match[1])?.failures.push({ step: match[2], error: fromMarkdown(match[3]) });
  }
  return expected;
}

/** Writes measured results into the table's rows and the list of errors. */
function updateResults(measured) {
  const text = readFileSync(guide, 'utf8');
  const lines = text.split('\n').map((line) => {
    const match = row.exec(line);
    const failures = match && measured.get(match[2]);
    return failures ? `${match[1]}${statusOf(failures)}${match[4]}` : line;
  });
  const updated = lines.join('\n');
  const list = [...measured].flatMap(([name, failures]) =>
    failures.map(({ step, error }) => `- \`${name}\`, ${step}: ${toMarkdown(error)}`),
  );
  const head = updated.slice(0, updated.indexOf(begin) + begin.length);
  const tail = updated.slice(updated.indexOf(end));
  writeFileSync(guide, `${head}\n\n${list.join('\n')}\n\n${tail}`);
  // Biome lays the table out; the rows stay readable to the pattern above.
  must(join(repo, 'node_modules/.bin/biome'), ['format', '--write', guide], { cwd: repo });
}

const update = process.argv.includes('--update');
const only = process.argv.slice(2).filter((arg) => arg !== '--update');
const unknown = only.filter((name) => !cells.some((cell) => cell.name === name));
if (unknown.length > 0) throw new Error(`no such cell: ${unknown.join(', ')}`);
const started = performance.now();
const expected = expectedResults();
install(pack());
console.log(
  `toolchain and tarball ready in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
const measured = new Map();
let passed = 0;
let failed = 0;
// A cell named on the command line brings the cell whose build it runs.
const wanted = (cell) =>
  only.length === 0 ||
  only.includes(cell.name) ||
  cells.some((other) => only.includes(other.name) && other.from === cell.name);
for (const cell of cells.filter(wanted)) {
  const cellStart = performance.now();
  const failures = runCell(cell);
  const seconds = ((performance.now() - cellStart) / 1000).toFixed(1);
  const want = expected.get(cell.name);
  measured.set(cell.name, failures);
  const result = describe(failures);
  if (want !== undefined && (update || describe(want.failures, want.status) === result)) {
    passed++;
    console.log(`ok   ${cell.name} (${seconds} s): ${result}`);
  } else {
    failed++;
    console.log(`FAIL ${cell.name} (${seconds} s): ${result}`);
    console.log(
      `     docs/compatibility.md says: ${want ? describe(want.failures, want.status) : '(no row)'}`,
    );
  }
}
const missing =
  only.length > 0
    ? []
    : [...expected.keys()].filter((name) => !cells.some((cell) => cell.name === name));
for (const name of missing) {
  failed++;
  console.log(`FAIL ${name}: docs/compatibility.md has a row for a cell the matrix does not run`);
}
if (update && only.length === 0) updateResults(measured);
console.log(`matrix wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
