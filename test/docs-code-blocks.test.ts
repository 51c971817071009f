// Every ```ts block of the README and docs/ compiles and runs, as a reader would paste it.
// A block's info string may name its decorator mode and the files it needs beside it:
//   ```ts legacy files=images.ts      (files come from test/fixtures/docs/)
//   ```ts matrix                      (run by the consumer matrix instead: npm run test:consumers)
//   ```ts queue                       (compiled here, run against real servers: npm run test:queue)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOC_BLOCK_COMPILER_OPTIONS } from './support/doc-blocks.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const tsc = `${repo}node_modules/.bin/tsc`;
const fixtures = `${repo}test/fixtures/docs/`;
// Inside the package, so `import 'selfsame'` resolves to dist/ by package self-reference.
const work = `${repo}.build/doc-blocks/`;

interface Block {
  readonly source: string;
  readonly where: string;
  readonly mode: 'standard' | 'legacy';
  readonly files: readonly string[];
  readonly file: string;
  readonly queue: boolean;
}

const guides = ['README.md', ...readdirSync(`${repo}docs`).map((name) => `docs/${name}`)].filter(
  (name) => name.endsWith('.md'),
);

function blocksOf(guide: string): Block[] {
  const lines = readFileSync(`${repo}${guide}`, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```ts(?: (.*))?$/.exec(lines[index] ?? '');
    if (!fence) continue;
    const words = (fence[1] ?? '').split(' ').filter(Boolean);
    const end = lines.indexOf('```', index + 1);
    if (!words.includes('matrix')) {
      const name = `${guide.replace(/\W+/g, '-')}-${index + 1}`;
      blocks.push({
        source: lines.slice(index + 1, end).join('\n'),
        where: `${guide}:${index + 1}`,
        mode: words.includes('legacy') ? 'legacy' : 'standard',
        files:
          words
            .find((word) => word.startsWith('files='))
            ?.slice(6)
            .split(',') ?? [],
        file: `${name}.ts`,
        queue: words.includes('queue'),
      });
    }
    index = end;
  }
  return blocks;
}

const blocks = guides.flatMap(blocksOf);

const compilerOptions = DOC_BLOCK_COMPILER_OPTIONS;

/** Compiles every block of one mode together (one tsc run), each block its own module. */
function compile(mode: Block['mode']): string {
  const dir = `${work}${mode}/`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const legacy =
    mode === 'legacy' ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {};
  writeFileSync(
    `${dir}tsconfig.json`,
    JSON.stringify({ compilerOptions: { ...compilerOptions, ...legacy }, include: ['*.ts'] }),
  );
  for (const block of blocks.filter((candidate) => candidate.mode === mode)) {
    writeFileSync(`${dir}${block.file}`, block.source);
    for (const file of block.files) cpSync(`${fixtures}${file}`, `${dir}${file}`);
  }
  return dir;
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe.each(['standard', 'legacy'] as const)('the %s-mode code blocks of the guides', (mode) => {
  const own = blocks.filter((block) => block.mode === mode);

  it('compile together with tsc', () => {
    expect(own.length).toBeGreaterThan(0);
    const dir = compile(mode);
    run(tsc, ['-p', '.'], dir);
  });

  const runnable = own.filter((block) => !block.queue);
  it.each(runnable.map((block) => [block.where, block] as const))(
    '%s runs with node',
    (_, block) => {
      const dir = `${work}${mode}/`;
      run(process.execPath, [block.file.replace(/\.ts$/, '.js')], dir);
    },
  );
});
