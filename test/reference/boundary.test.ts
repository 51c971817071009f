// The root's trust boundary: what a module id under the root, or a listed package, may reach.
// Every case writes modules that would set a global if they ever ran, and checks that none did.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  NotReferenceableError,
  ReferencePolicyError,
  type SelfsameError,
} from '../../src/errors.js';
import { defineIdentity } from '../../src/identity.js';
import { digestOf } from '../../src/reference/digest.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { toReference } from '../../src/reference/to-reference.js';

type Sentinel = { __selfsameRan?: string[] };
const ran = () => (globalThis as Sentinel).__selfsameRan ?? [];
const repository = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const DIGEST = `sha256:${'0'.repeat(64)}`;
const cleanup: string[] = [];

afterEach(() => {
  expect(ran()).toEqual([]);
});

afterAll(() => {
  for (const directory of cleanup) rmSync(directory, { recursive: true, force: true });
});

/** A module that records that it ran, if it ever does. */
function writeModule(file: string, name: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `(globalThis.__selfsameRan ??= []).push(${JSON.stringify(name)});\nexport function run() {}\n`,
  );
}

function writePackage(directory: string, name: string): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, type: 'module' }));
  writeModule(join(directory, 'index.js'), name);
}

async function refusal(ref: object, options: object): Promise<SelfsameError> {
  const error = await fromReference(ref, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReferencePolicyError);
  return error as SelfsameError;
}

const where = (module: string, qualname = 'run') =>
  `the reference to \`${qualname}\` in \`${module}\``;

describe('the root: a module id may not pass through `node_modules`', () => {
  it('refuses `./node_modules/...` under the root before importing it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'selfsame-boundary-'));
    cleanup.push(root);
    writePackage(join(root, 'node_modules', 'anything'), 'anything');
    for (const module of [
      './node_modules/anything/index.js',
      './lib/node_modules/anything/index.js',
    ]) {
      const error = await refusal({ v: 1, module, qualname: 'run', digest: DIGEST }, { root });
      expect(error.message).toBe(
        `Refused ${where(module)}: a module path under the root may not pass through \`node_modules\` (packages are reachable only by a name listed in \`options.packages\`); list the package and reference it by its specifier`,
      );
    }
  });

  it('refuses a file under the root that is a symlink into `node_modules`, before importing it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'selfsame-boundary-'));
    cleanup.push(root);
    writePackage(join(root, 'node_modules', 'linked'), 'linked');
    mkdirSync(join(root, 'lib'));
    symlinkSync(join(root, 'node_modules', 'linked', 'index.js'), join(root, 'lib', 'x.js'));
    const module = './lib/x.js';
    const error = await refusal({ v: 1, module, qualname: 'run', digest: DIGEST }, { root });
    expect(error.message).toBe(
      `Refused ${where(module)}: the module resolves (through a symlink) to a file inside \`node_modules\` under the root (packages are reachable only by a name listed in \`options.packages\`); list the package and reference it by its specifier`,
    );
  });

  it("refuses this project's own installed packages under the default root", async () => {
    // The default root is the working directory: the repository, which holds `node_modules`.
    const module = './node_modules/fast-check/lib/fast-check.js';
    const error = await refusal({ v: 1, module, qualname: 'assert', digest: DIGEST }, {});
    expect(error.message).toMatch(/may not pass through `node_modules`/);
  });
});

describe("the root: selfsame's own modules", () => {
  it('refuses an internal module of selfsame, before importing it', async () => {
    for (const module of ['./dist/reference/load-module.js', './dist/internal/check.js']) {
      const error = await refusal(
        { v: 1, module, qualname: 'loadNamespace', digest: DIGEST },
        { root: repository },
      );
      expect(error.message).toBe(
        `Refused ${where(module, 'loadNamespace')}: the module is one of selfsame's own internal modules; only its public entry points (\`selfsame\`, \`selfsame/pool\`) may be referenced`,
      );
    }
  });

  it('resolves a public entry point of selfsame', async () => {
    const { namespace } = await loadNamespace(`file://${repository}/dist/index.js`, 'dist');
    const identityOf = namespace.identityOf as Function;
    const ref = { v: 1, module: './dist/index.js', qualname: 'identityOf' };
    expect(
      await fromReference({ ...ref, digest: digestOf(identityOf) }, { root: repository }),
    ).toBe(identityOf);
  });
});

describe('a listed package does not open the packages nested in it', () => {
  // Packages resolve from selfsame's own location, so these are written into the repository's
  // `node_modules` under a fresh name, and removed afterwards.
  const good = `selfsame-fixture-${randomBytes(6).toString('hex')}`;
  const directory = join(repository, 'node_modules', good);
  cleanup.push(directory);
  writePackage(directory, good);
  writePackage(join(directory, 'node_modules', 'other'), 'other');
  symlinkSync(join(directory, 'node_modules', 'other', 'index.js'), join(directory, 'link.js'));

  it('refuses a specifier into the listed package’s `node_modules`, before importing', async () => {
    const module = `${good}/node_modules/other/index.js`;
    const error = await refusal(
      { v: 1, module, qualname: 'run', digest: DIGEST },
      { packages: [good] },
    );
    expect(error.message).toBe(
      `Refused ${where(module)}: a package specifier may not reach into \`node_modules\` (a package nested in \`${good}\` is not \`${good}\`); list the nested package by its own name`,
    );
  });

  it('refuses a file of the listed package that is a link into another package', async () => {
    const module = `${good}/link.js`;
    const error = await refusal(
      { v: 1, module, qualname: 'run', digest: DIGEST },
      { packages: [good] },
    );
    expect(error.message).toBe(
      `Refused ${where(module)}: the specifier resolves to a file of the package \`other\`, not of the listed \`${good}\`; list that package in \`options.packages\` by its own name`,
    );
  });
});

describe('roots and file names the module id cannot or can carry', () => {
  const base = mkdtempSync(join(tmpdir(), 'selfsame-paths-'));
  cleanup.push(base);
  const odd = join(base, 'with space é #');
  const run = async (file: string): Promise<Function> => {
    writeFileSync(file, 'export function run() {\n  return 1;\n}\n');
    const { namespace } = await loadNamespace(pathToFileURL(file).href, file);
    return namespace.run as Function;
  };
  mkdirSync(odd);

  it('accepts `/` as the root', async () => {
    const fn = await run(join(base, 'at-root.js'));
    const reference = await toReference(fn, { root: '/' });
    expect(reference.module).toBe(`.${base}/at-root.js`);
    expect(await fromReference(reference, { root: '/' })).toBe(fn);
  });

  it('accepts a root whose path holds a space, `é` and `#`', async () => {
    const fn = await run(join(odd, 'plain.js'));
    const reference = await toReference(fn, { root: odd });
    expect(reference.module).toBe('./plain.js');
    expect(await fromReference(reference, { root: odd })).toBe(fn);
  });

  it('refuses a file name with a space, `é` or `#` by its rule, saying nothing was imported', async () => {
    const names: [string, string][] = [
      ['my task.js', '"./my task.js"'],
      ['é.js', '"./\\u00e9.js"'],
      ['a#b.js', './a#b.js'],
    ];
    for (const [name, shown] of names) {
      const fn = await run(join(odd, name));
      const error = await toReference(fn, { root: odd }).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(NotReferenceableError);
      expect((error as Error).message).toBe(
        `Can't serialize run: its module id \`./${name}\` is refused: a module path may hold only plain segments of ASCII letters, digits and \`_@+~.-\` (no spaces, \`..\`, \`.\`, empty segments, \`%\`, \`?\`, \`#\`, \`:\` or \`\\\`); rename the file or its folders under the root`,
      );
      expect(((error as Error).cause as Error).message).toContain(`in \`${shown}\``);
    }
  });

  it('says in the message itself that a TypeScript module cannot be imported as it is', async () => {
    const file = join(base, 'task.ts');
    writeFileSync(file, 'export function task() {}\n');
    const fn = defineIdentity(function task() {}, { module: pathToFileURL(file).href });
    const error = await toReference(fn, { root: base }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(NotReferenceableError);
    expect((error as Error).message).toBe(
      "Can't serialize task: its module id `./task.ts` is refused: a module file must end with .js, .mjs, .cjs; the module is TypeScript, which a worker thread or another process cannot import without a loader: run it under tsx (`tsx main.ts`, `node --import tsx`, or `NODE_OPTIONS='--import tsx'` for vitest; a pool gives its workers the same loader, and `new Pool({ loader: 'tsx' })` where tsx was registered by its API), run it on Node 22.18+ or 24, whose type stripping reaches worker threads, or compile it and run the JavaScript",
    );
  });
});
