import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Compiled inside the package (not in node_modules) so that `import 'selfsame'` resolves to
// dist/ by package self-reference; vitest's own transform would leave the decorators unlowered.
const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}.build/symbol-metadata`;
function run(file: string): Record<string, unknown> {
  const output = execFileSync(process.execPath, [`${out}/${file}`], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, unknown>;
}

beforeAll(() => {
  mkdirSync(out, { recursive: true });
  const tsc = `${root}node_modules/.bin/tsc`;
  execFileSync(
    tsc,
    [
      '--ignoreConfig',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--lib',
      'es2023,esnext.decorators',
      '--types',
      'node',
      '--strict',
      '--skipLibCheck',
      '--rootDir',
      `${root}test/fixtures`,
      '--outDir',
      out,
      `${root}test/fixtures/standard-metadata.ts`,
      `${root}test/fixtures/standard-metadata-control.ts`,
    ],
    { encoding: 'utf8' },
  );
});

describe('the Symbol.metadata polyfill', () => {
  it('is compiled by tsc into the standard decorator helpers, not left as syntax', () => {
    const compiled = readFileSync(`${out}/standard-metadata.js`, 'utf8');
    expect(compiled).not.toMatch(/^\s*@remember/m);
    expect(compiled).toContain('Symbol.metadata');
  });

  it('is needed: without selfsame, Node 20 hands the decorator no metadata', () => {
    expect(run('standard-metadata-control.js')).toEqual({ type: 'undefined', cats: 'Cats' });
  });

  it('gives standard decorators a `context.metadata` object once selfsame is imported', () => {
    expect(run('standard-metadata.js')).toEqual({
      type: 'object',
      onClass: true,
      route: 'list',
      name: 'list',
    });
  });

  it('installs the registry symbol `Symbol.for("Symbol.metadata")`', async () => {
    await import('../src/internal/symbol-metadata.js');
    expect(typeof Symbol.metadata).toBe('symbol');
    expect(Symbol.metadata).toBe(Symbol.for('Symbol.metadata'));
  });
});
