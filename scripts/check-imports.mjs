#!/usr/bin/env node
/**
 * Checks the import graph of `src/`: no import cycle, type-only imports included, and no import
 * against the layering below. Run by `npm test`; `node scripts/check-imports.mjs [dir]` checks
 * another tree (the test runs it on fixtures). Exits 1 and prints one line per problem.
 *
 * The layers, lowest first. A file may import its own layer and any layer below it; only a leaf
 * type module (a `types.ts` holding nothing but types) may be imported from anywhere, so a
 * lower layer can name a type without depending on the code above. The order is the
 * architecture (docs/architecture.md): the leaves import nothing, `internal/` holds helpers
 * shared by several subsystems, the isomorphic core builds up from identity to the timer, and
 * Node enters with `reference/` and `pool/`; `queue/` builds on both. Nothing imports an entry point (`index.ts`).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Each layer: a name, and the files (`x.ts`) or folders (`x/`) it holds, relative to `src/`. */
export const LAYERS = [
  { name: 'leaves', holds: ['errors.ts', 'qualname.ts'] },
  { name: 'internal', holds: ['internal/'] },
  { name: 'identity', holds: ['identity.ts'] },
  { name: 'wraps', holds: ['wraps.ts'] },
  { name: 'decorator', holds: ['decorator/'] },
  { name: 'track-execution-time', holds: ['track-execution-time/'] },
  { name: 'timeline', holds: ['timeline/'] },
  { name: 'reference', holds: ['reference/'] },
  { name: 'pool', holds: ['pool/'] },
  { name: 'bin', holds: ['bin/'] },
  { name: 'queue', holds: ['queue/'] },
  { name: 'entry', holds: ['core.ts', 'identity-entry.ts', 'index.ts'] },
];

const SOURCE = /\.(?:ts|cts|mts)$/;
const DECLARATION = /\.d\.(?:ts|cts|mts)$/;
const EMITTED = { '.js': '.ts', '.cjs': '.cts', '.mjs': '.mts' };

/**
 * The problems in the tree under `srcDir`, one sentence each, paths relative to `srcDir`'s
 * parent (`src/decorator/decorate.ts`); empty when the graph is clean.
 */
export function checkImports(srcDir) {
  const root = resolve(srcDir);
  const shown = (file) => relative(dirname(root), file).split(sep).join('/');
  const files = listSources(root);
  const problems = [];
  const graph = new Map();
  for (const file of files) {
    const targets = [];
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = sourceOf(resolve(dirname(file), specifier));
      if (!files.includes(target)) {
        problems.push(
          `${shown(file)} imports \`${specifier}\`, which is no file of ${shown(root)}`,
        );
        continue;
      }
      targets.push(target);
    }
    graph.set(file, targets);
  }
  const layerOf = new Map(files.map((file) => [file, layerIndex(relative(root, file))]));
  for (const file of files) {
    if (layerOf.get(file) === -1) {
      problems.push(
        `${shown(file)} is in no layer: add its file or folder to LAYERS in scripts/check-imports.mjs, above every layer it imports and below every layer that imports it`,
      );
    }
    if (isTypesFile(file) && !holdsOnlyTypes(file)) {
      problems.push(`${shown(file)} is a types.ts but holds more than types: move the code out`);
    }
  }
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (target.endsWith(`${sep}index.ts`)) {
        problems.push(
          `${shown(file)} imports the entry point ${shown(target)}: import the module that defines the name`,
        );
        continue;
      }
      const from = layerOf.get(file);
      const to = layerOf.get(target);
      if (from === -1 || to === -1 || to <= from) continue;
      if (isTypesFile(target) && holdsOnlyTypes(target)) continue;
      problems.push(
        `${shown(file)} (layer \`${LAYERS[from].name}\`) imports ${shown(target)} from the layer above it, \`${LAYERS[to].name}\`: move what it needs down, or its types into a types.ts leaf`,
      );
    }
  }
  for (const cycle of cyclesOf(graph)) {
    problems.push(`import cycle: ${[...cycle, cycle[0]].map(shown).join(' -> ')}`);
  }
  return problems;
}

function listSources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every module specifier of a file: static, type-only, re-exports and literal `import()`. */
function importsOf(file) {
  return ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((imported) => imported.fileName);
}

function sourceOf(path) {
  for (const [emitted, source] of Object.entries(EMITTED)) {
    if (path.endsWith(emitted)) return path.slice(0, -emitted.length) + source;
  }
  return path;
}

function layerIndex(path) {
  const posix = path.split(sep).join('/');
  return LAYERS.findIndex((layer) =>
    layer.holds.some((held) => (held.endsWith('/') ? posix.startsWith(held) : posix === held)),
  );
}

function isTypesFile(file) {
  return file.endsWith(`${sep}types.ts`);
}

/** Whether every statement of a file is a type: interfaces, aliases, type-only imports and exports. */
function holdsOnlyTypes(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.every(
    (statement) =>
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly === true) ||
      (ts.isExportDeclaration(statement) && statement.isTypeOnly),
  );
}

/**
 * The cycles of the graph, one per strongly connected component (Tarjan's algorithm), each
 * given as one path around it starting from its first file in sorted order.
 */
function cyclesOf(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let next = 0;
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file)) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfImport = graph.get(file).includes(file);
      if (component.length > 1 || selfImport) components.push(component);
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return components.map((component) => pathAround(graph, component));
}

/** A shortest way from the component's first file back to itself, through the component. */
function pathAround(graph, component) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of graph.get(file)) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(previous.get(path[0]));
        return path;
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const problems = checkImports(dir);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `check-imports: no cycle and no upward import in ${relative(process.cwd(), dir) || '.'}`,
  );
}
