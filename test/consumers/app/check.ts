// What every consumer cell checks, step by step. Every step runs even after one fails, so a
// cell's result names each step that failed; a cell passes when every step holds.
import { fromReference, identityOf, toReference, unwrap } from 'selfsame';
import { Pool } from 'selfsame/pool';
import { add, countWords, rawAdd, shout } from './plain.js';

/** The class half, when the cell's toolchain compiles decorator syntax. */
export interface Classes {
  readonly Tasks: {
    new (): { run(text: string): number; greet(name: string): string };
    plan(text: string): number;
  };
  readonly logged: readonly string[];
}

/** What a cell measured: each step that failed, with the first line of its error. */
export interface Report {
  readonly failures: readonly { readonly step: string; readonly error: string }[];
}

const key = 'a secret both sides share';

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new Error(`${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

async function roundTrip(
  fn: (...args: never[]) => unknown,
): Promise<(...args: never[]) => unknown> {
  const text = JSON.stringify(await toReference(fn, { key }));
  return fromReference(JSON.parse(text), { key });
}

/** Runs every step; never throws: the failures become the report. */
export async function check(classes?: Classes): Promise<Report> {
  const steps: [string, () => unknown][] = [
    [
      'wraps',
      () => {
        expectEqual('add.name', add.name, 'add');
        expectEqual('add.length', add.length, 2);
        expectEqual('unwrap(add) is the original', unwrap(add) === rawAdd, true);
      },
    ],
    [
      'plain call',
      () => {
        expectEqual("countWords('a b c')", countWords('a b c'), 3);
        expectEqual('qualname of countWords', identityOf(countWords).qualname, 'countWords');
      },
    ],
    [
      'createDecorator',
      () => {
        expectEqual("shout('hi')", shout('hi'), 'HI!');
        expectEqual('qualname of shout', identityOf(shout).qualname, 'shout');
      },
    ],
  ];
  if (classes) {
    const { Tasks, logged } = classes;
    steps.push([
      'class',
      () => {
        expectEqual("new Tasks().run('a b')", new Tasks().run('a b'), 2);
        expectEqual("Tasks.plan('a,b,c')", Tasks.plan('a,b,c'), 3);
        expectEqual("new Tasks().greet('you')", new Tasks().greet('you'), 'HELLO YOU!');
        expectEqual('qualname of run', identityOf(Tasks.prototype.run).qualname, 'Tasks.run');
        expectEqual('qualname of plan', identityOf(Tasks.plan).qualname, 'Tasks.plan');
        expectEqual('qualname of greet', identityOf(Tasks.prototype.greet).qualname, 'Tasks.greet');
        expectEqual('first log line', logged[0]?.replace(/ at .*/, ''), 'Starting Tasks.run');
      },
    ]);
  }
  steps.push([
    'signed reference',
    async () => {
      expectEqual('countWords back', await roundTrip(countWords), countWords);
      expectEqual('shout back', await roundTrip(shout), shout);
      if (classes)
        expectEqual('Tasks.plan back', await roundTrip(classes.Tasks.plan), classes.Tasks.plan);
    },
  ]);
  steps.push([
    'Pool.map',
    async () => {
      const pool = new Pool({ size: 2, key, timeout: 60_000 });
      try {
        const counts = await pool.map(countWords, ['one', 'one two']);
        expectEqual('countWords in workers', counts.join(), '1,2');
        const shouts = await pool.map(shout, ['a', 'b']);
        expectEqual('shout in workers', shouts.join(), 'A!,B!');
        if (classes) {
          const plans = await pool.map(classes.Tasks.plan, ['a', 'a,b']);
          expectEqual('Tasks.plan in workers', plans.join(), '1,2');
        }
      } finally {
        await pool.close();
      }
    },
  ]);
  const failures: { step: string; error: string }[] = [];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      failures.push({ step: name, error: message.split('\n')[0] ?? '' });
    }
  }
  return { failures };
}
