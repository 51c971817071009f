/**
 * The TypeScript loader a pool gives its workers: tsx, named by the `loader` option or found
 * registered on the main thread. tsx registers its hooks on the main thread only (on Node 20,
 * and on 22 before 22.22.3), so each worker registers them itself, through tsx's public API,
 * before it imports any task module; tsx's own flags are left out of the workers' `execArgv`
 * so that no Node version registers them twice. The main thread must import the task
 * modules itself (`toReference` imports a function's module to prove it is the same object),
 * so the option is for a main thread where tsx is registered in a way not seen in its flags
 * (its `register()` API).
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeValue } from '../internal/describe.js';
import { allowTypeScriptModules, tsxInExecArgv } from '../reference/module-id.js';

/** What a worker imports, by `file:` URL, to register the loader: each module's `register()`. */
export interface LoaderSetup {
  readonly esm: string;
  readonly cjs: string;
}

/** Validates the `loader` option: `'tsx'` or absent. */
export function checkLoader(loader: unknown): 'tsx' | undefined {
  if (loader === undefined || loader === 'tsx') return loader;
  throw new TypeError(`Expected \`options.loader\` to be 'tsx', got ${describeValue(loader)}`);
}

/**
 * The loader the workers get (the option, or tsx when the main thread runs under it), resolved
 * from the project in the current directory, as `node --import tsx` resolves it; `undefined`
 * when there is none. Declares TypeScript module ids acceptable from then on.
 */
export function resolveLoader(loader: 'tsx' | undefined): LoaderSetup | undefined {
  const running = tsxInExecArgv();
  if (loader === undefined && !running) return undefined;
  let manifest: string;
  try {
    manifest = tsxManifest(running);
  } catch (error) {
    throw new TypeError(
      `Expected ${loader === undefined ? 'tsx, which this process runs under,' : "`options.loader` 'tsx'"} to be installed in the project, but it cannot be found from ${process.cwd()}: install it (\`npm install --save-dev tsx\`)`,
      { cause: error },
    );
  }
  const exports = (
    JSON.parse(readFileSync(manifest, 'utf8')) as {
      exports: Record<string, { import?: { default?: string }; require?: { default?: string } }>;
    }
  ).exports;
  const file = (entry: string | undefined): string => {
    if (entry === undefined) {
      throw new TypeError(
        `Expected \`options.loader\` 'tsx' to be tsx 4 or later, whose \`tsx/esm/api\` and \`tsx/cjs/api\` register its hooks; the tsx at ${manifest} has neither`,
      );
    }
    return pathToFileURL(join(manifest, '..', entry)).href;
  };
  allowTypeScriptModules();
  return {
    esm: file(exports['./esm/api']?.import?.default),
    cjs: file(exports['./cjs/api']?.require?.default),
  };
}

/**
 * tsx's `package.json`: next to the `dist/loader.mjs` the tsx CLI imports by path (an `npx tsx`
 * may run one outside the project), else as the project in the current directory resolves `tsx`,
 * as `node --import tsx` does.
 */
function tsxManifest(running: boolean): string {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  const cli = running ? /(\S*[/\\]tsx[/\\]dist[/\\])loader\.mjs/.exec(flags)?.[1] : undefined;
  if (cli !== undefined) {
    const dist = cli.startsWith('file:') ? fileURLToPath(cli) : cli;
    return join(dist, '..', 'package.json');
  }
  return createRequire(join(process.cwd(), 'package.json')).resolve('tsx/package.json');
}

/** This process's `execArgv` without tsx's flags (its loader and the CLI's preflight). */
export function workerExecArgv(): string[] {
  const kept: string[] = [];
  const argv = process.execArgv;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] as string;
    const takesValue = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
    if (takesValue.includes(flag) && isTsx(argv[index + 1] ?? '')) {
      index += 1;
    } else if (!(flag.includes('=') && isTsx(flag.slice(flag.indexOf('=') + 1)))) {
      kept.push(flag);
    }
  }
  return kept;
}

function isTsx(value: string): boolean {
  return /^tsx(\/|$)|[/\\]tsx[/\\]dist[/\\]/.test(value);
}
