import { readFileSync } from 'node:fs';

// The cells of the consumer matrix: how each toolchain builds the consumer program of app/ and
// how each runtime runs it. Every cell shares one install (.build/consumers/node_modules).

const esm = { type: 'module' };
const classic = { type: 'commonjs' };
const full = ['plain.ts', 'tasks.ts', 'check.ts', 'main.ts'];
const plainOnly = ['plain.ts', 'check.ts', 'main-plain.ts'];

const compilerOptions = {
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  lib: ['es2023', 'esnext.decorators'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
  outDir: 'build',
  rootDir: '.',
};
const legacyOptions = { experimentalDecorators: true, emitDecoratorMetadata: true };
const tsconfig = (extra = {}) => ({
  compilerOptions: { ...compilerOptions, ...extra },
  include: ['*.ts'],
});

const tscBin = { 5.9: 'typescript', '6.0': 'ts6', '7.0': 'ts7' };
const tsc = (version) => (c) => [
  [c.bin.node20, `${c.work}/node_modules/${tscBin[version]}/bin/tsc`, '-p', '.'],
];
const runBuilt =
  (runtime, entry = 'build/main.js') =>
  (c) => {
    if (runtime === 'bun') return [c.bin.bun, entry];
    if (runtime === 'deno') return [c.bin.deno, 'run', '--allow-all', entry];
    return [c.bin[runtime], entry];
  };

const tscCells = ['5.9', '6.0', '7.0'].flatMap((version) => [
  {
    name: `tsc-${version}-standard`,
    app: full,
    files: { 'package.json': esm, 'tsconfig.json': tsconfig() },
    build: tsc(version),
    run: runBuilt('node20'),
  },
  {
    name: `tsc-${version}-legacy`,
    app: full,
    files: { 'package.json': esm, 'tsconfig.json': tsconfig(legacyOptions) },
    build: tsc(version),
    run: runBuilt('node20'),
  },
]);

const swcrc = ({ decorators, externalHelpers }) => ({
  $schema: 'https://swc.rs/schema.json',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    externalHelpers,
    transform:
      decorators === 'legacy'
        ? { legacyDecorator: true, decoratorMetadata: true }
        : { decoratorVersion: decorators },
  },
  module: { type: 'es6' },
});
const swcCell = (helpers, decorators) => ({
  name: `swc-${helpers}-${decorators}`,
  app: full,
  files: {
    'package.json': esm,
    '.swcrc': swcrc({ decorators, externalHelpers: helpers === 'external' }),
    'swc-build.cjs': { copy: 'swc-build.cjs' },
  },
  build: (c) => [[c.bin.node20, 'swc-build.cjs']],
  run: runBuilt('node20'),
});

const esbuild = (c, ...args) => [`${c.work}/node_modules/esbuild/bin/esbuild`, ...args];
const transform = [
  'plain.ts',
  'tasks.ts',
  'check.ts',
  'main.ts',
  '--outdir=build',
  '--format=esm',
  '--target=es2022',
  '--platform=node',
];

const vitestSpec = `import { writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { check } from './check.js';
import { logged, Tasks } from './tasks.js';

test('the consumer program passes every step', async () => {
  const report = await check({ Tasks, logged });
  writeFileSync(process.env.SELFSAME_REPORT ?? 'report.json', JSON.stringify(report));
  expect(report).toEqual({ failures: [] });
}, 120_000);
`;
// The vitest configuration docs/compatibility.md recommends for standard decorators, read from
// the guide itself (its ```ts matrix block), so the matrix runs exactly what the reader copies.
const guide = readFileSync(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');
const vitestSwcConfig = /```ts matrix\n(\/\/ vitest\.config\.ts\n[\s\S]*?)```/.exec(guide)?.[1];
if (vitestSwcConfig === undefined)
  throw new Error('docs/compatibility.md has no vitest.config.ts block');
const vitestOxcConfig = `import { defineConfig } from 'vitest/config';

// vitest's own transform (oxc) lowers legacy decorators, as tsconfig.json asks; the module the
// pool's tasks come from is left to Node and tsx (see docs/compatibility.md).
export default defineConfig({ test: { server: { deps: { external: [/\\/(plain|tasks)\\.ts$/] } } } });
`;
const vitest = (c) => [c.bin.node20, `${c.work}/node_modules/vitest/vitest.mjs`, 'run'];
// Run the way docs/compatibility.md says: vitest under tsx's loader, so the pool's workers get it.
const vitestEnv = { NODE_OPTIONS: '--import tsx' };

/** Node's type stripping needs the real `.ts` names in relative imports. */
const tsSpecifiers = (source) => source.replace(/(from '\.\/[a-z-]+)\.js'/g, "$1.ts'");

export const cells = [
  ...tscCells,
  swcCell('inline', '2022-03'),
  swcCell('inline', '2023-11'),
  swcCell('inline', 'legacy'),
  swcCell('external', '2023-11'),
  swcCell('external', 'legacy'),
  {
    name: 'esbuild-transform',
    app: full,
    files: { 'package.json': esm, 'tsconfig.json': tsconfig() },
    build: (c) => [esbuild(c, ...transform)],
    run: runBuilt('node20'),
  },
  {
    name: 'esbuild-transform-keep-names',
    app: full,
    files: { 'package.json': esm, 'tsconfig.json': tsconfig() },
    build: (c) => [esbuild(c, ...transform, '--keep-names')],
    run: runBuilt('node20'),
  },
  {
    name: 'esbuild-bundle',
    app: full,
    files: {
      'package.json': esm,
      'tsconfig.json': tsconfig({ module: 'preserve', moduleResolution: 'bundler', noEmit: true }),
    },
    build: (c) => [
      [c.bin.node20, `${c.work}/node_modules/ts7/bin/tsc`, '-p', '.'],
      esbuild(
        c,
        'main.ts',
        'plain.ts',
        'tasks.ts',
        '--bundle',
        '--splitting',
        '--packages=external',
        '--outdir=build',
        '--format=esm',
        '--target=es2022',
        '--platform=node',
      ),
    ],
    run: runBuilt('node20'),
  },
  {
    name: 'tsx',
    app: full,
    files: { 'package.json': esm, 'tsconfig.json': tsconfig() },
    run: (c) => [c.bin.node20, `${c.work}/node_modules/tsx/dist/cli.mjs`, 'main.ts'],
  },
  {
    name: 'vitest-legacy',
    app: ['plain.ts', 'tasks.ts', 'check.ts'],
    files: {
      'package.json': esm,
      'tsconfig.json': tsconfig(legacyOptions),
      'consumer.spec.ts': vitestSpec,
      'vitest.config.ts': vitestOxcConfig,
    },
    env: vitestEnv,
    run: vitest,
  },
  {
    name: 'vitest-standard-swc',
    app: ['plain.ts', 'tasks.ts', 'check.ts'],
    files: {
      'package.json': esm,
      'tsconfig.json': tsconfig(),
      'consumer.spec.ts': vitestSpec,
      'vitest.config.ts': vitestSwcConfig,
    },
    env: vitestEnv,
    run: vitest,
  },
  {
    name: 'node-24-strip-types',
    app: plainOnly,
    rewrite: tsSpecifiers,
    files: { 'package.json': esm },
    run: (c) => [c.bin.node24, 'main-plain.ts'],
  },
  {
    name: 'commonjs-require',
    app: ['require.cjs'],
    files: { 'package.json': classic },
    run: (c) => [c.bin.node20, 'require.cjs'],
  },
  {
    name: 'nestjs-classic',
    app: ['plain.ts', 'tasks.ts', 'check.ts', 'main-cjs.ts'],
    files: {
      'package.json': classic,
      'tsconfig.json': tsconfig({
        ...legacyOptions,
        module: 'commonjs',
        moduleResolution: 'node10',
        target: 'es2021',
        lib: ['es2022', 'esnext.disposable'],
        esModuleInterop: true,
      }),
    },
    build: tsc('5.9'),
    run: runBuilt('node20', 'build/main-cjs.js'),
  },
  ...['22', '24', '26'].map((major) => ({
    name: `node-${major}`,
    app: [],
    from: 'tsc-7.0-standard',
    files: { 'package.json': esm },
    run: runBuilt(`node${major}`),
  })),
  {
    name: 'bun',
    app: [],
    from: 'tsc-7.0-standard',
    files: { 'package.json': esm },
    run: runBuilt('bun'),
  },
  {
    name: 'deno',
    app: [],
    from: 'tsc-7.0-standard',
    files: { 'package.json': esm },
    run: runBuilt('deno'),
  },
];
