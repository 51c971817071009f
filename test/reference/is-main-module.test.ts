import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isMainModule } from '../../src/reference/is-main-module.js';

const entry = fileURLToPath(new URL('../fixtures/reference/main-entry.js', import.meta.url));

function run(...args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }));
}

describe('isMainModule', () => {
  it('is true in the entry module only, and false in a worker that imports it again', () => {
    expect(run(entry)).toEqual({ entry: true, imported: false, worker: false });
  });

  it('recognises an entry started through a symlink or without its extension', () => {
    const link = join(mkdtempSync(join(tmpdir(), 'selfsame-main-')), 'linked.js');
    symlinkSync(entry, link);
    expect(run(link)).toEqual({ entry: true, imported: false, worker: false });
    expect(run(entry.replace(/\.js$/, ''))).toEqual({
      entry: true,
      imported: false,
      worker: false,
    });
  });

  it('is false in a test module, which vitest imports', () => {
    expect(isMainModule(import.meta)).toBe(false);
  });

  it('is false for a module that is not a file', () => {
    expect(isMainModule({ url: 'data:text/javascript,' })).toBe(false);
  });

  it('checks its argument', () => {
    expect(() => isMainModule(undefined as never)).toThrow(
      new TypeError(
        'Expected `meta` to be `import.meta` (an object with a string `url`), got `undefined`',
      ),
    );
    expect(() => isMainModule({ url: 1 } as never)).toThrow(
      new TypeError(
        'Expected `meta` to be `import.meta` (an object with a string `url`), got an object',
      ),
    );
  });
});

describe("the seed article's lessons, run by plain Node against the build", () => {
  it('refuses the hand-written wrapper, resolves the wrapped one, and catches the rebinding', () => {
    const lessons = run(
      fileURLToPath(new URL('../fixtures/reference/seed-lessons.js', import.meta.url)),
    );
    expect(lessons).toEqual({
      withoutWraps:
        "NotReferenceableError: Can't serialize local object 'trackExecutionTime.<locals>.wrapper'",
      withWraps: {
        reference: {
          v: 1,
          module: './with-wraps.js',
          qualname: 'add',
          digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        },
        sameFunction: true,
        result: 5,
        decoratorRan: true,
      },
      rebound: 'IntegrityError (ERR_SELFSAME_INTEGRITY)',
      reboundOptedOut: 6,
      isMainModule: true,
    });
  });
});
