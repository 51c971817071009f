// Bundles the worker side of the pool into one file, dist/pool/dispatcher-bundle.js, after tsc
// has built dist/: a worker then reads, resolves and compiles one module instead of the
// dispatcher's graph of about thirty (docs/performance.md, "Start-up"). The bundle is the same
// JavaScript tsc emitted, joined by esbuild, not compiled again.
//
// The error classes stay outside the bundle, imported from their own modules: a task module
// imports `selfsame` (or `selfsame/core`, `selfsame/pool`) itself, and an error it throws must be
// an instance of the very classes the dispatcher knows, or the pool would rebuild a look-alike.
// Everything else the dispatcher shares with a task module's copy of selfsame goes through
// `Symbol.for` slots, which any number of copies see alike.
//
// What the dispatcher imports dynamically stays outside too, as its own files in dist/: those
// are the paths a worker takes only when asked (toReference's graph, to name a task's own error
// class; the timeline recorder, under `onRecord`), so a worker that never takes them never
// reads, parses or compiles them, and the bundle holds only what every worker runs.
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const outfile = join(dist, 'pool', 'dispatcher-bundle.js');
// The modules whose identity a task module must share with the dispatcher (and, below, every
// module it imports dynamically).
const shared = new Set([join(dist, 'errors.js'), join(dist, 'pool', 'errors.js')]);

await build({
  entryPoints: [join(dist, 'pool', 'dispatcher.js')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [
    {
      name: 'shared-modules',
      setup(esbuild) {
        esbuild.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir, kind }) => {
          const file = resolve(resolveDir, path);
          if (!shared.has(file) && kind !== 'dynamic-import') return undefined;
          const specifier = relative(dirname(outfile), file).replaceAll('\\', '/');
          return { path: specifier.startsWith('.') ? specifier : `./${specifier}`, external: true };
        });
      },
    },
  ],
});
