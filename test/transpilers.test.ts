// Member qualnames when the real SWC and esbuild lower standard decorators: SWC's inline helpers
// (its default) put their nested functions on the stack inside the user's module, and esbuild
// (so tsx too) runs static initializers while the class is still bound to `_Tasks`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync as swc } from '@swc/core';
import { transformSync as esbuild } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Inside the package, so the compiled module's `import 'selfsame'` resolves to dist/.
const work = fileURLToPath(new URL('../.build/transpilers/', import.meta.url));

const source = `
import { identityOf, trackExecutionTime } from 'selfsame';

const logged: string[] = [];
const logger = { info: (line: string) => logged.push(line.replace(/ at .*/, '')) };

export class Tasks {
  @trackExecutionTime({ logger })
  run() {}

  @trackExecutionTime({ logger })
  static plan() {}
}

export function make() {
  class Local {
    @trackExecutionTime({ logger: false })
    static build() {}
  }
  return Local;
}

// Under esbuild a static member's name settles once the code defining its class has run: the
// first microtask after it.
const Local = make();
await null;
new Tasks().run();
Tasks.plan();
console.log(
  JSON.stringify({
    run: identityOf(Tasks.prototype.run).qualname,
    plan: identityOf(Tasks.plan).qualname,
    local: identityOf(Local.build).qualname,
    logged,
  }),
);
`;

const swcInline = (decoratorVersion: '2022-03' | '2023-11') => () =>
  swc(source, {
    filename: 'tasks.ts',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      transform: { decoratorVersion },
    },
  }).code;

const compilers = {
  'SWC 2022-03, inline helpers': swcInline('2022-03'),
  'SWC 2023-11, inline helpers': swcInline('2023-11'),
  'esbuild --keep-names (as tsx runs it)': () =>
    esbuild(source, { loader: 'ts', format: 'esm', target: 'es2022', keepNames: true }).code,
};

describe.each(Object.entries(compilers))('standard decorators compiled by %s', (name, compile) => {
  it('name members `Class.member`, keep a real enclosing function, and log those names', () => {
    mkdirSync(work, { recursive: true });
    const file = `${work}${name.replace(/\W+/g, '-')}.js`;
    writeFileSync(file, compile());
    const output = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(output)).toEqual({
      run: 'Tasks.run',
      plan: 'Tasks.plan',
      local: 'make.<locals>.Local.build',
      logged: expect.arrayContaining(['Starting Tasks.run', 'Starting Tasks.plan']),
    });
  });
});
