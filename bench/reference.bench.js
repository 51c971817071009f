// References: a cached `fromReference` against an awaited Map-backed lookup (goal: at most 2x),
// a cached signed `toReference` against the unsigned one (goal: at most 1.5x), and the first `toReference` of a function (the proof: module id, walk, identity, digest)
// against an `await import()` of an already loaded module.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromReference, toReference } from '../dist/index.js';
import { compareAsync } from './measure.js';

const root = new URL('../test/fixtures/reference/', import.meta.url);
const tasks = await import(new URL('tasks.js', root).href);
const options = { root };
const key = 'a signing key of a reasonable length';
const reference = await toReference(tasks.add, options);
const signedOptions = { root, key };
const signed = await toReference(tasks.add, signedOptions);

const registry = new Map([[`${reference.module}\0${reference.qualname}`, tasks.add]]);
async function lookup(module, qualname) {
  return registry.get(`${module}\0${qualname}`);
}

await compareAsync(
  'Resolving a reference already resolved once',
  {
    'awaited Map-backed lookup': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) fn = await lookup(reference.module, reference.qualname);
      return fn;
    },
    'fromReference, cached': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) fn = await fromReference(reference, options);
      return fn;
    },
    'fromReference, cached, signed (HMAC verified)': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) fn = await fromReference(signed, signedOptions);
      return fn;
    },
  },
  {
    iterations: 20_000,
    rounds: 15,
    goals: [
      {
        task: 'fromReference, cached',
        vs: 'awaited Map-backed lookup',
        max: 2,
        label: 'cached fromReference / awaited Map lookup',
      },
    ],
  },
);

// A reference made again for a function already proven, as a pool or a queue does for every
// call: unsigned, and signed with a key (the signature is the only extra work).
await compareAsync(
  'toReference of a function already proven',
  {
    'toReference, cached, unsigned': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await toReference(tasks.add, options);
      return made;
    },
    'toReference, cached, signed with a key': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await toReference(tasks.add, signedOptions);
      return made;
    },
  },
  {
    iterations: 20_000,
    rounds: 15,
    goals: [
      {
        task: 'toReference, cached, signed with a key',
        vs: 'toReference, cached, unsigned',
        max: 1.5,
        label: 'cached signed toReference / cached unsigned toReference',
      },
    ],
  },
);

// As a pool worker receives it: JSON text, so every reference is a fresh object of fresh strings.
const text = JSON.stringify(reference);
await compareAsync(
  'Resolving a reference received as JSON text',
  {
    'JSON.parse + awaited Map-backed lookup': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) {
        const parsed = JSON.parse(text);
        fn = await lookup(parsed.module, parsed.qualname);
      }
      return fn;
    },
    'JSON.parse + fromReference, cached': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) fn = await fromReference(JSON.parse(text), options);
      return fn;
    },
  },
  { iterations: 20_000, rounds: 15 },
);

// `toReference` of a function proven before walks the recorded path again at every call (a
// rebinding since is refused, as pickle checks identity at every dump). Its peer is the cached
// path without that walk, rebuilt from the same parts: the options checked into a policy, then
// a WeakMap hit.
const { toPolicy } = await import('../dist/reference/options.js');
const oldProofs = new WeakMap([[tasks.add, { policyId: toPolicy(options).id, reference }]]);
async function cachedWithoutWalk(fn, opts) {
  if (typeof fn !== 'function') throw new TypeError('fn');
  const policy = toPolicy(opts);
  const proof = oldProofs.get(fn);
  return proof !== undefined && proof.policyId === policy.id ? proof.reference : undefined;
}
await compareAsync(
  'toReference of a function already proven',
  {
    'the cached path without the walk (WeakMap hit)': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await cachedWithoutWalk(tasks.add, options);
      return made;
    },
    'toReference, identity re-proven (walk again)': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await toReference(tasks.add, options);
      return made;
    },
  },
  {
    iterations: 20_000,
    rounds: 15,
    goal: { 'toReference, identity re-proven (walk again)': '<= 1.5x' },
  },
);

// A partial's round trip: its reference is its function's (proof cached) plus the bound
// arguments encoded; resolving one is never cached (the cache names functions, not arguments).
const { partial } = await import('../dist/index.js');
const partials = await import(new URL('partials.js', root).href);
const small = partial(partials.scale, 2);
const rich = partial(partials.echo, { id: 7, tags: ['a', 'b'] }, new Date(0), new Map([['k', 1]]));
const smallText = JSON.stringify(await toReference(small, options));
const richText = JSON.stringify(await toReference(rich, options));
await compareAsync(
  'A partial, to a reference and back',
  {
    'toReference of the function (proof cached)': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await toReference(partials.scale, options);
      return made;
    },
    'toReference of partial(scale, 2)': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await toReference(small, options);
      return made;
    },
    'toReference of a partial binding an object, a Date, a Map': async (n) => {
      let made;
      for (let i = 0; i < n; i++) made = await toReference(rich, options);
      return made;
    },
    'fromReference(JSON.parse(text)) of partial(scale, 2)': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) fn = await fromReference(JSON.parse(smallText), options);
      return fn;
    },
    'fromReference(JSON.parse(text)) of the richer partial': async (n) => {
      let fn;
      for (let i = 0; i < n; i++) fn = await fromReference(JSON.parse(richText), options);
      return fn;
    },
  },
  { iterations: 2_000, rounds: 11 },
);

// Modules of many exported functions, loaded once: each `toReference` below is the first for
// its function, so it pays the whole proof (module id, walk, identity, digest), never a cold
// import. Registered functions carry their module; for the others V8's inspector is asked
// where each was defined, which costs more the more top-level bindings the module has.
const directory = mkdtempSync(join(tmpdir(), 'selfsame-bench-'));
const indexUrl = new URL('../dist/index.js', import.meta.url).href;
function writeModule(file, count, registered) {
  const lines = Array.from({ length: count }, (_, i) =>
    registered
      ? `export const task${i} = defineIdentity(function task${i}(x) { return x + ${i}; }, { module: import.meta });`
      : `export function task${i}(x) { return x + ${i}; }`,
  );
  if (registered) lines.unshift(`import { defineIdentity } from ${JSON.stringify(indexUrl)};`);
  writeFileSync(join(directory, file), lines.join('\n'));
  return pathToFileURL(join(directory, file)).href;
}
const registeredUrl = writeModule('registered.js', 6_000, true);
const plainUrl = writeModule('plain.js', 400, false);
const registered = await import(registeredUrl);
const plain = await import(plainUrl);
const benchOptions = { root: directory };
let nextRegistered = 0;
let nextPlain = 0;

try {
  await compareAsync(
    'The first toReference of a function in a loaded module',
    {
      'await import() of a loaded module': async (n) => {
        let namespace;
        for (let i = 0; i < n; i++) namespace = await import(registeredUrl);
        return namespace;
      },
      'toReference, first call, registered function': async (n) => {
        let made;
        for (let i = 0; i < n; i++) {
          made = await toReference(registered[`task${nextRegistered++}`], benchOptions);
        }
        return made;
      },
      'toReference, first call, unregistered (inspector)': async (n) => {
        let made;
        for (let i = 0; i < n; i++)
          made = await toReference(plain[`task${nextPlain++}`], benchOptions);
        return made;
      },
      'toReference, proof cached': async (n) => {
        let made;
        for (let i = 0; i < n; i++) made = await toReference(registered.task0, benchOptions);
        return made;
      },
    },
    { iterations: 30, rounds: 11 },
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
