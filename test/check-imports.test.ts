import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/check-imports.mjs', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

const trees: string[] = [];
afterEach(() => {
  for (const tree of trees.splice(0)) rmSync(tree, { recursive: true, force: true });
});

/** Writes a `src/` tree of the given files into a fresh temporary directory. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'selfsame-imports-'));
  trees.push(dir);
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, 'src', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return join(dir, 'src');
}

/** Runs the script as `npm test` does, on `dir`; its exit code and the lines it printed. */
function check(dir?: string): { status: number | null; problems: string[]; out: string } {
  const args = dir === undefined ? [SCRIPT] : [SCRIPT, dir];
  const run = spawnSync(process.execPath, args, { cwd: REPOSITORY, encoding: 'utf8' });
  return {
    status: run.status,
    problems: run.stderr.split('\n').filter((line) => line !== ''),
    out: run.stdout,
  };
}

// A small tree laid out as the real one, clean: each case below adds one fault to it.
const CLEAN = {
  'errors.ts': 'export class Oops extends Error {}\n',
  'internal/describe.ts':
    "import { Oops } from '../errors.js';\nexport const fail = () => new Oops();\n",
  'identity.ts': "import { fail } from './internal/describe.js';\nexport const identity = fail;\n",
  'decorator/types.ts':
    "import type { Oops } from '../errors.js';\nexport type Kind = 'method' | 'class';\nexport interface Spec { kind: Kind; error: Oops }\n",
  'decorator/engine.ts':
    "import { identity } from '../identity.js';\nimport type { Spec } from './types.js';\nexport const run = (spec: Spec) => identity(spec);\n",
  'index.ts':
    "export { run } from './decorator/engine.js';\nexport type { Kind } from './decorator/types.js';\n",
};

describe('scripts/check-imports.mjs', () => {
  it('passes the repository’s own src/', () => {
    expect(check()).toEqual({
      status: 0,
      problems: [],
      out: 'check-imports: no cycle and no upward import in src\n',
    });
  });

  it('passes a clean tree, where a lower layer names a type from a types.ts leaf above it', () => {
    const dir = tree({
      ...CLEAN,
      'internal/describe.ts':
        "import { Oops } from '../errors.js';\nimport type { Kind } from '../decorator/types.js';\nexport const fail = (kind?: Kind) => new Oops(kind);\n",
    });
    const result = check(dir);
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('fails on a cycle of type-only imports', () => {
    const dir = tree({
      ...CLEAN,
      'decorator/a.ts':
        "import type { B } from './b.js';\nexport interface A { b?: B }\nexport const a = 1;\n",
      'decorator/b.ts':
        "import type { A } from './a.js';\nexport interface B { a?: A }\nexport const b = 2;\n",
    });
    expect(check(dir)).toEqual({
      status: 1,
      problems: ['import cycle: src/decorator/a.ts -> src/decorator/b.ts -> src/decorator/a.ts'],
      out: '',
    });
  });

  it('fails on a longer cycle through a re-export and a dynamic import', () => {
    const dir = tree({
      ...CLEAN,
      'decorator/a.ts': "export * from './b.js';\n",
      'decorator/b.ts': "export const b = () => import('./c.js');\n",
      'decorator/c.ts': "import './a.js';\n",
    });
    expect(check(dir).problems).toEqual([
      'import cycle: src/decorator/a.ts -> src/decorator/b.ts -> src/decorator/c.ts -> src/decorator/a.ts',
    ]);
  });

  it('fails on an upward import, type-only included', () => {
    const dir = tree({
      ...CLEAN,
      'internal/helper.ts':
        "import type { run } from '../decorator/engine.js';\nexport type Run = typeof run;\n",
    });
    expect(check(dir)).toEqual({
      status: 1,
      problems: [
        'src/internal/helper.ts (layer `internal`) imports src/decorator/engine.ts from the layer above it, `decorator`: move what it needs down, or its types into a types.ts leaf',
      ],
      out: '',
    });
  });

  it('does not exempt a types.ts that holds code', () => {
    const dir = tree({
      ...CLEAN,
      'decorator/types.ts': "export type Kind = 'method';\nexport const KINDS = ['method'];\n",
      'internal/describe.ts':
        "import { KINDS } from '../decorator/types.js';\nexport const fail = () => KINDS;\n",
    });
    expect(check(dir).problems).toEqual([
      'src/decorator/types.ts is a types.ts but holds more than types: move the code out',
      'src/internal/describe.ts (layer `internal`) imports src/decorator/types.ts from the layer above it, `decorator`: move what it needs down, or its types into a types.ts leaf',
    ]);
  });

  it('fails on a file in no layer, an import of an entry point and an import of no file', () => {
    const dir = tree({
      ...CLEAN,
      'sketch/view.ts': 'export const view = 1;\n',
      'decorator/extra.ts':
        "import { run } from '../index.js';\nimport { gone } from './gone.js';\nexport const extra = [run, gone];\n",
    });
    expect(check(dir).problems).toEqual([
      'src/decorator/extra.ts imports `./gone.js`, which is no file of src',
      'src/sketch/view.ts is in no layer: add its file or folder to LAYERS in scripts/check-imports.mjs, above every layer it imports and below every layer that imports it',
      'src/decorator/extra.ts imports the entry point src/index.ts: import the module that defines the name',
    ]);
  });
});
