import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NotReferenceableError } from '../dist/errors.js';
import { Pool } from '../dist/pool/index.js';
import { tsxInExecArgv } from '../dist/reference/module-id.js';
import { countWords } from './fixtures/pool/tsx-program/words.js';

const program = fileURLToPath(new URL('./fixtures/pool/tsx-program/', import.meta.url));
const tsxCli = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const vitestCli = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const mapped = { words: [3, 1, 2, 0], inWorkers: true };
const refusal = (id: string): string =>
  `Can't serialize countWords: its module id \`${id}\` is refused: a module file must end with .js, .mjs, .cjs; the module is TypeScript, which a worker thread or another process cannot import without a loader: run it under tsx (\`tsx main.ts\`, \`node --import tsx\`, or \`NODE_OPTIONS='--import tsx'\` for vitest; a pool gives its workers the same loader, and \`new Pool({ loader: 'tsx' })\` where tsx was registered by its API), run it on Node 22.18+ or 24, whose type stripping reaches worker threads, or compile it and run the JavaScript`;

function run(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(process.execPath, args, {
    cwd: program,
    encoding: 'utf8',
    env,
    timeout: 90_000,
  });
}

describe('a pool over a TypeScript module under tsx (the program in fixtures/pool/tsx-program)', () => {
  it('runs under `node --import tsx`: the workers register tsx themselves', () => {
    expect(JSON.parse(run(['--import', 'tsx', 'main.ts']))).toEqual(mapped);
  });

  it('runs under the tsx CLI, with and without `loader: "tsx"`', () => {
    expect(JSON.parse(run([tsxCli, 'main.ts']))).toEqual(mapped);
    expect(JSON.parse(run([tsxCli, 'main.ts', 'explicit']))).toEqual(mapped);
  });

  it("needs `loader: 'tsx'` where tsx was registered by its API, and says so without it", () => {
    expect(JSON.parse(run(['api.mjs']))).toEqual({
      error: `NotReferenceableError: ${refusal('./words.ts')}`,
    });
    expect(JSON.parse(run(['api.mjs', 'explicit']))).toEqual(mapped);
  });

  it("runs in a vitest test run with `NODE_OPTIONS='--import tsx'`", () => {
    const output = run([vitestCli, 'run', '--reporter=json'], {
      ...process.env,
      NODE_OPTIONS: '--import tsx',
    });
    const report = JSON.parse(output) as { numPassedTests: number; numFailedTests: number };
    expect([report.numPassedTests, report.numFailedTests]).toEqual([1, 0]);
  });
});

describe('a pool over a TypeScript module in this vitest run, without tsx', () => {
  it('is refused, and the message names the fix', async () => {
    expect(tsxInExecArgv()).toBe(false);
    const pool = new Pool({ size: 1 });
    try {
      const failure = pool.map(countWords, ['a b']);
      await expect(failure).rejects.toThrow(NotReferenceableError);
      await expect(failure).rejects.toThrow(refusal('./test/fixtures/pool/tsx-program/words.ts'));
    } finally {
      await pool.close();
    }
  });
});

describe('tsxInExecArgv', () => {
  it.each([
    [['--import', 'tsx'], true],
    [['--import=tsx'], true],
    [['--import', 'tsx/esm'], true],
    [['--loader', 'tsx'], true],
    [
      [
        '--require',
        '/p/node_modules/tsx/dist/preflight.cjs',
        '--import',
        'file:///p/node_modules/tsx/dist/loader.mjs',
      ],
      true,
    ],
    [['--import', 'tsxx'], false],
    [['--import', './tsx.mjs'], false],
    [['--require', 'tsx/cjs'], false],
    [['tsx'], false],
    [[], false],
  ])('%j is %s', (execArgv, found) => {
    expect(tsxInExecArgv(execArgv)).toBe(found);
  });
});

describe('options.loader', () => {
  it('is refused when tsx cannot be found from the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsame-no-tsx-'));
    try {
      const pool = pathToFileURL(fileURLToPath(new URL('../dist/pool/index.js', import.meta.url)));
      const script = `const { Pool } = await import(${JSON.stringify(pool.href)});
try { new Pool({ loader: 'tsx' }); } catch (error) { console.log(error.name, error.message); }`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(output.trim()).toBe(
        `TypeError Expected \`options.loader\` 'tsx' to be installed in the project, but it cannot be found from ${realpathSync(dir)}: install it (\`npm install --save-dev tsx\`)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['ts-node', 'Expected `options.loader` to be \'tsx\', got `"ts-node"` (string)'],
    [true, "Expected `options.loader` to be 'tsx', got `true` (boolean)"],
  ])('refuses %j', (loader, message) => {
    expect(() => new Pool({ loader } as never)).toThrow(new TypeError(message));
  });
});
