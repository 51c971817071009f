// How toReference names what it is given: local objects as pickle does, nested classes to the
// qualname depth limit, and an export found by the very function object, not by its name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { NotReferenceableError, ReferenceIdentityError } from '../../src/errors.js';
import { digestOf } from '../../src/reference/digest.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { foundBy, toReference } from '../../src/reference/to-reference.js';
import { fixture, options } from './fixtures.js';

async function refusal(fn: Function, opts: object = options): Promise<string> {
  const error = await toReference(fn, opts).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NotReferenceableError);
  return (error as Error).message;
}

/** toReference and back: the same function, and how its qualname was found. */
async function roundTrip(fn: Function, opts: object = options) {
  const reference = await toReference(fn, opts);
  expect(await fromReference(reference, opts)).toBe(fn);
  return { qualname: reference.qualname, by: foundBy(fn) };
}

describe('local objects are named from the closures V8 records', () => {
  it('names a wrapper returned by a decorator factory that is not exported', async () => {
    const { slowAdd } = await fixture('locals.js');
    expect(await refusal(slowAdd)).toBe("Can't serialize local object 'naive.<locals>.wrapper'");
  });

  it('names a closure returned by a function that is not exported', async () => {
    const { tick } = await fixture('locals.js');
    expect(await refusal(tick)).toBe("Can't serialize local object 'makeCounter.<locals>.counter'");
  });

  it('names an arrow function returned by a function', async () => {
    const { arrow } = await fixture('locals.js');
    expect(await refusal(arrow)).toBe("Can't serialize local object 'makeArrow.<locals>.wrapper'");
  });

  it('names nested locals fully', async () => {
    const { nested } = await fixture('locals.js');
    expect(await refusal(nested)).toBe(
      "Can't serialize local object 'outer.<locals>.inner.<locals>.wrapper'",
    );
  });

  it("gives a local of an exported class's method its class, from the source text", async () => {
    const { product } = await fixture('locals.js');
    expect(await refusal(product)).toBe(
      "Can't serialize local object 'Factory.make.<locals>.made'",
    );
  });
});

describe('nested classes, to the qualname depth limit', () => {
  it('references classes nested as static members, and their static methods', async () => {
    const { Nested } = await fixture('nested-classes.js');
    for (const [fn, qualname] of [
      [Nested.A, 'Nested.A'],
      [Nested.A.B, 'Nested.A.B'],
      [Nested.A.B.C, 'Nested.A.B.C'],
      [Nested.A.B.run, 'Nested.A.B.run'],
      [Nested.A.B.C.run, 'Nested.A.B.C.run'],
    ] as const) {
      expect(await roundTrip(fn)).toEqual({ qualname, by: 'search' });
    }
  });

  it('finds a class 8 segments deep, and refuses one beyond the limit', async () => {
    const { Deep } = await fixture('nested-classes.js');
    const l7 = Deep.L1.L2.L3.L4.L5.L6.L7;
    expect(await roundTrip(l7)).toEqual({ qualname: 'Deep.L1.L2.L3.L4.L5.L6.L7', by: 'search' });
    expect(await refusal(l7.L8)).toBe(
      "Can't serialize L8: it's not found as ./nested-classes.js.L8; export it from `./nested-classes.js`",
    );
  });
});

describe('the export that holds the very function object', () => {
  it('names a function exported only under another name by that export', async () => {
    const { exportedName } = await fixture('nested-classes.js');
    expect(await roundTrip(exportedName)).toEqual({ qualname: 'exportedName', by: 'search' });
  });

  it('records that the qualname itself led to a function exported under its own name', async () => {
    const { add } = await fixture('tasks.js');
    expect(await roundTrip(add)).toEqual({ qualname: 'add', by: 'qualname' });
  });

  it('still refuses an alias: a second name of a function exported under its own', async () => {
    const { add } = await fixture('tasks.js');
    const ref = { v: 1, module: './tasks.js', qualname: 'plus', digest: digestOf(add) };
    const error = await fromReference(ref, options).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(ReferenceIdentityError);
    expect((error as Error).message).toBe(
      'Refused the reference to `plus` in `./tasks.js`: the function found is `add`, not `plus` (an alias or a rebinding)',
    );
  });

  describe('in a bundle made by esbuild', () => {
    const directory = mkdtempSync(join(tmpdir(), 'selfsame-esbuild-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    type Bundle = { countWords: Function; Tasks: Function & { run: Function } };
    async function bundle(): Promise<Bundle> {
      writeFileSync(
        join(directory, 'words.js'),
        "export function countWords(text) {\n  return text.split(' ').length;\n}\n",
      );
      writeFileSync(
        join(directory, 'entry.js'),
        [
          "import { countWords as split } from './words.js';",
          'export function countWords(text) {',
          '  return split(text);',
          '}',
          'export class Tasks {',
          '  static #base = 1;',
          '  static run(x) {',
          '    return Tasks.#base + x;',
          '  }',
          '}',
        ].join('\n'),
      );
      const outfile = join(directory, 'bundle.js');
      await build({
        entryPoints: [join(directory, 'entry.js')],
        bundle: true,
        format: 'esm',
        target: 'es2020',
        outfile,
        logLevel: 'silent',
      });
      const { namespace } = await loadNamespace(pathToFileURL(outfile).href, outfile);
      return namespace as unknown as Bundle;
    }

    it('references `countWords2` by its export `countWords`, and `_Tasks.run` as `Tasks.run`', async () => {
      const { countWords, Tasks } = await bundle();
      expect(countWords.name).toBe('countWords2');
      expect(Tasks.name).toBe('_Tasks');
      const opts = { root: directory };
      expect(await roundTrip(countWords, opts)).toEqual({ qualname: 'countWords', by: 'search' });
      expect(await roundTrip(Tasks.run, opts)).toEqual({
        qualname: 'Tasks.run',
        by: 'search',
      });
      const run = await fromReference<(x: number) => number>(
        await toReference(Tasks.run, opts),
        opts,
      );
      expect(run.call(Tasks, 2)).toBe(3);
    });
  });
});
