// For any input whatsoever, `fromReference` returns an allowlisted function or throws a
// selfsame error, and nothing else runs.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { SelfsameError } from '../../src/errors.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, root, type Tripwires, tripwires } from './fixtures.js';

const MODULES = ['tasks.js', 'with-wraps.js', 'decorated.js', 'then-export.js', 'rebinding.js'];
const allowed = new Set<unknown>();
const digests: string[] = [];
const references: object[] = [];
const qualnames = new Set<string>([
  'trackExecutionTime',
  'SelfsameError',
  'Jobs.resize',
  'Jobs.crop',
  'utils.double',
  'withGetter.add',
  'proxied.add',
]);
const prototypeBefore = Object.getOwnPropertyDescriptors(Object.prototype);
const wires: Tripwires = await tripwires();

// The arbitraries below draw from what the fixtures really export, so they are built first.
/** Every function a walk of at most two own data steps can reach from a namespace. */
function allowReachable(namespace: Record<string, unknown>): void {
  for (const value of Object.values(namespace)) {
    if (typeof value !== 'function') continue;
    allowed.add(value);
    for (const key of Object.getOwnPropertyNames(value)) {
      const own = Object.getOwnPropertyDescriptor(value, key)?.value;
      if (typeof own === 'function') allowed.add(own);
    }
  }
}

// The policy arbitrary below may list the `selfsame` package itself, which makes its exports
// legitimately resolvable (`{ module: 'selfsame', qualname: 'trackExecutionTime' }`).
const selfsameEntry = new URL('../../dist/index.js', import.meta.url).href;
allowReachable((await loadNamespace(selfsameEntry, 'selfsame')).namespace);

for (const file of MODULES) {
  const { namespace } = await loadNamespace(new URL(file, root).href, file);
  allowReachable(namespace);
  for (const [name, value] of Object.entries(namespace)) {
    qualnames.add(name);
    if (typeof value === 'function') {
      const reference = await toReference(value, options).catch(() => undefined);
      if (reference !== undefined) {
        digests.push(reference.digest);
        references.push(reference);
      }
    }
  }
}
allowed.add((await fixture('tasks.js')).utils.double);

const moduleIds = fc.oneof(
  fc.constantFrom(
    ...MODULES.map((file) => `./${file}`),
    './plain',
    './once.js',
    './tdz-a.js',
    './tdz-holder.js',
    './missing.js',
    '../reference-outside/evil.js',
    './../reference-outside/evil.js',
    './%2e%2e/reference-outside/evil.js',
    './tasks.js?v=2',
    './tasks.js#x',
    'data:text/javascript,globalThis.__selfsamePwned=1',
    'node:child_process',
    'child_process',
    'fs',
    'selfsame',
    '__proto__',
    'hasOwnProperty',
    'constructor',
    '/etc/hostname',
    'file:///etc/hostname',
    'https://example.com/x.js',
  ),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^\.\/[a-z./%?#-]{0,20}\.(js|mjs|cjs|json)$/),
);

const qualnameArbitrary = fc.oneof(
  fc.constantFrom(...qualnames),
  fc.constantFrom(
    'constructor',
    '__proto__',
    'prototype',
    'then',
    'caller',
    'arguments',
    'add.constructor',
    'add.call',
    'Jobs.prototype.crop',
    'toString',
    'hasOwnProperty',
    'partner.late',
  ),
  fc
    .array(fc.constantFrom(...qualnames, 'constructor', 'prototype', 'name', 'length', 'call'), {
      minLength: 1,
      maxLength: 3,
    })
    .map((segments) => segments.join('.')),
  fc.string({ maxLength: 30 }),
);

// Mostly well-formed references into the fixtures, so that policy, import, walk, identity and
// digest are all reached; then a field or two replaced by anything at all.
const wellFormed = fc.record({
  v: fc.constant(1),
  module: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...MODULES.map((file) => `./${file}`)) },
    moduleIds,
  ),
  qualname: qualnameArbitrary,
  digest: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...digests) },
    fc.stringMatching(/^sha256:[0-9a-f]{64}$/),
  ),
});

const nearValid = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...references) },
  { weight: 4, arbitrary: wellFormed },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        wellFormed,
        fc.constantFrom('v', 'module', 'qualname', 'digest', 'signature', 'extra', '__proto__'),
        fc.anything(),
      )
      .map(([reference, key, value]) =>
        Object.defineProperty({ ...reference }, key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        }),
      ),
  },
);

const input = fc.oneof(
  { weight: 6, arbitrary: nearValid },
  { weight: 2, arbitrary: fc.anything({ withNullPrototype: true, withObjectString: true }) },
  { weight: 1, arbitrary: fc.json().map((text) => JSON.parse(text) as unknown) },
  { weight: 1, arbitrary: nearValid.map((value) => JSON.parse(JSON.stringify(value)) as unknown) },
);

const policy = fc.record({
  root: fc.constant(root),
  verifyIntegrity: fc.boolean(),
  packages: fc.constantFrom([], ['selfsame'], ['fs', 'child_process']),
});

it('returns an allowlisted function or throws a selfsame error, and no tripwire fires', async () => {
  await fc.assert(
    fc.asyncProperty(input, policy, async (reference, opts) => {
      try {
        const fn = await fromReference(reference, opts);
        expect(allowed.has(fn)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(SelfsameError);
      }
      expect((globalThis as { __selfsamePwned?: unknown }).__selfsamePwned).toBeUndefined();
      expect(wires.getters + wires.traps + wires.thens).toBe(0);
      expect(wires.inits['evil.js']).toBeUndefined();
      expect(wires.inits['tasks.js']).toBe(1);
      expect(Object.keys(Object.prototype)).toEqual([]);
    }),
    {
      numRuns: 20_000,
      // Rare in random draws, so always tried: a listed package's export is allowlisted.
      examples: [
        [
          {
            v: 1,
            module: 'selfsame',
            qualname: 'trackExecutionTime',
            digest: `sha256:${'0'.repeat(64)}`,
          },
          { root, verifyIntegrity: false, packages: ['selfsame'] },
        ],
      ],
    },
  );
  expect(Object.getOwnPropertyDescriptors(Object.prototype)).toEqual(prototypeBefore);
}, 60_000);
