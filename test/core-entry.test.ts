import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as identity from '../src/identity-entry.js';
import * as main from '../src/index.js';

const dist = new URL('../dist/', import.meta.url);

/** Every file of the build that importing `entry` evaluates: its static imports, transitively. */
function graphOf(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (url: URL): void => {
    const relative = url.href.slice(dist.href.length);
    if (seen.has(relative)) return;
    seen.add(relative);
    const source = readFileSync(url, 'utf8');
    const specifiers = source.matchAll(/(?:\bfrom|^import)\s*['"](\.\.?\/[^'"]+\.js)['"]/gm);
    for (const [, specifier] of specifiers) visit(new URL(specifier as string, url));
  };
  visit(new URL(entry, dist));
  return [...seen].sort();
}

/** The public `node:` modules and CommonJS files that importing `specifier` loads, in a fresh Node. */
function loadedBy(specifier: string): { builtins: string[]; files: string[] } {
  const probe = fileURLToPath(new URL('./fixtures/pool/loaded-modules.js', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [probe, specifier], { encoding: 'utf8' }));
}

describe('the `selfsame/core` entry', () => {
  it('loads neither references, nor timing, nor the pool', () => {
    const files = graphOf('core.js');
    expect(files.filter((file) => /^(reference|track-execution-time|pool)\//.test(file))).toEqual(
      [],
    );
    expect(files.length).toBeLessThan(graphOf('index.js').length);
  });

  it('loads no `node:` module and no CommonJS file', () => {
    expect(loadedBy('selfsame/core')).toEqual({ builtins: [], files: [] });
  });

  it('exports the very values `selfsame` exports under the same names', () => {
    const names = Object.keys(core);
    expect(names).toEqual(
      expect.arrayContaining(['defineIdentity', 'identityOf', 'createDecorator', 'wraps']),
    );
    const everything = new Map<string, unknown>(Object.entries(main));
    for (const [name, value] of Object.entries(core)) expect(everything.get(name)).toBe(value);
    expect(names).not.toContain('toReference');
    expect(names).not.toContain('trackExecutionTime');
  });
});

describe('the `selfsame/identity` entry', () => {
  it('loads only identities: no decorator, wraps, reference, timing or pool module', () => {
    const files = graphOf('identity-entry.js');
    expect(files).toEqual([
      'errors.js',
      'identity-entry.js',
      'identity.js',
      'internal/check.js',
      'internal/define.js',
      'internal/describe.js',
      'internal/keys.js',
      'internal/own-data.js',
      'qualname.js',
    ]);
    expect(files.length).toBeLessThan(graphOf('core.js').length);
  });

  it('loads no `node:` module and no CommonJS file', () => {
    expect(loadedBy('selfsame/identity')).toEqual({ builtins: [], files: [] });
  });

  it('exports `defineIdentity` and `identityOf`, the very values `selfsame` exports', () => {
    expect(Object.keys(identity).sort()).toEqual(['defineIdentity', 'identityOf']);
    expect(identity.defineIdentity).toBe(main.defineIdentity);
    expect(identity.identityOf).toBe(core.identityOf);
  });
});
