import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('./fixtures/pool/loaded-modules.js', import.meta.url));

/** What importing `specifier` loads, measured in a fresh Node process. */
function loadedBy(specifier: string): { builtins: string[]; files: string[] } {
  return JSON.parse(execFileSync(process.execPath, [probe, specifier], { encoding: 'utf8' }));
}

describe('the `selfsame/pool` entry', () => {
  it('is separate: importing `selfsame` loads neither piscina nor any `node:` module', () => {
    expect(loadedBy('selfsame')).toEqual({ builtins: [], files: [] });
  });

  it('loads piscina and worker_threads itself (the probe sees them)', () => {
    const loaded = loadedBy('selfsame/pool');
    expect(loaded.builtins).toContain('worker_threads');
    expect(loaded.files.some((file) => /[/\\]piscina[/\\]/.test(file))).toBe(true);
  });

  it('gives its workers the dispatcher as one module that shares only the error classes', () => {
    const bundle = readFileSync(
      new URL('../dist/pool/dispatcher-bundle.js', import.meta.url),
      'utf8',
    );
    const imported = [...bundle.matchAll(/^import\s[^'"]*?['"]([^'"]+)['"]/gm)].map(
      ([, specifier]) => specifier as string,
    );
    // The error classes a task module's own copy of selfsame throws must be the dispatcher's.
    expect(new Set(imported.filter((specifier) => specifier.startsWith('.')))).toEqual(
      new Set(['../errors.js', './errors.js']),
    );
    expect(imported.filter((specifier) => !/^(\.|node:)/.test(specifier))).toEqual([]);
  });

  it('keeps out of that module what a worker loads only when asked (its dynamic imports)', () => {
    const bundle = readFileSync(
      new URL('../dist/pool/dispatcher-bundle.js', import.meta.url),
      'utf8',
    );
    const dynamic = [...bundle.matchAll(/\bimport\("([^"]+)"\)/g)].map(
      ([, specifier]) => specifier as string,
    );
    expect(new Set(dynamic)).toEqual(
      new Set(['../reference/to-reference.js', './records-worker.js', 'piscina']),
    );
    for (const specifier of dynamic.filter((found) => found.startsWith('.'))) {
      // Each is a file of its own beside the bundle, the one the worker imports.
      const file = new URL(`../dist/pool/${specifier}`, import.meta.url);
      expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
    }
    // Their graphs are not inlined, not even as lazily run wrappers.
    expect(bundle).not.toContain('__esm(');
    for (const code of [
      'async function toReference(',
      'function startRecording(',
      'function locate(',
    ]) {
      expect(bundle).not.toContain(code);
    }
  });
});
