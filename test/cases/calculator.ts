/// <reference types="reflect-metadata" />
// Decorator cases, written once and compiled by the real tsc in both decorator modes (see
// test/setup/global-setup.ts). The plain-call twins at the bottom give the third mode the same
// bodies. Everything reads the library from the `selfsame` global, so the output imports nothing.
import type { ExecutionRecord } from '../../src/index.js';

/** Every call timed in this module, in order. */
export const records: ExecutionRecord[] = [];
const sink = {
  logger: false,
  onRecord: (record: ExecutionRecord) => records.push(record),
} as const;

/** Stores framework-style metadata on the function object, as NestJS's `@SetMetadata` does. */
function tag(value: string) {
  return (...args: unknown[]): void => {
    const fn = (
      typeof args[1] === 'object' ? args[0] : (args[2] as PropertyDescriptor).value
    ) as Function;
    Reflect.defineMetadata('case:tag', value, fn);
    (fn as Function & { role?: string }).role = value;
  };
}

/** Gives the function a doc, as a user would with `defineIdentity`. */
function documented(doc: string) {
  return (...args: unknown[]): void => {
    const fn = (
      typeof args[1] === 'object' ? args[0] : (args[2] as PropertyDescriptor).value
    ) as Function;
    selfsame.defineIdentity(fn, { doc });
  };
}

export class Calculator {
  base = 10;

  @selfsame.trackExecutionTime(sink)
  @documented('Adds two numbers to the base.')
  add(a: number, b: number): number {
    return this.base + a + b;
  }

  @selfsame.trackExecutionTime(sink)
  static twice(x: number): number {
    return 2 * x;
  }

  @selfsame.trackExecutionTime(sink)
  async later(x: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.base + x;
  }

  @selfsame.trackExecutionTime(sink)
  fail(message: string): never {
    throw new Error(message);
  }

  @selfsame.trackExecutionTime(sink)
  async reject(message: string): Promise<never> {
    await Promise.resolve();
    throw new Error(message);
  }

  @selfsame.trackExecutionTime(sink)
  get doubled(): number {
    return this.base * 2;
  }

  @selfsame.trackExecutionTime(sink)
  set label(text: string) {
    this.base = text.length;
  }

  /** The selfsame decorator above a metadata decorator. */
  @selfsame.trackExecutionTime(sink)
  @tag('above')
  tagged(): string {
    return 'tagged';
  }

  /** The selfsame decorator below a metadata decorator. */
  @tag('below')
  @selfsame.trackExecutionTime(sink)
  tagged2(): string {
    return 'tagged2';
  }

  plainMember(): string {
    return 'undecorated';
  }
}

@selfsame.trackExecutionTime(sink)
export class Counter {
  static created = 0;
  count: number;

  constructor(start: number) {
    this.count = start;
    Counter.created += 1;
  }

  static make(): Counter {
    return new Counter(1);
  }
}

/** A class defined inside a function body: its members are local objects. */
export function makeLocal() {
  class Local {
    @selfsame.trackExecutionTime(sink)
    run(): string {
      return 'local';
    }
  }
  return Local;
}

/** The plain-call mode: the same bodies, decorated by calling the decorator. */
export const plain = {
  add: selfsame.trackExecutionTime(sink)(function add(this: Calculator, a: number, b: number) {
    return this.base + a + b;
  }),
  twice: selfsame.trackExecutionTime(sink)(function twice(x: number) {
    return 2 * x;
  }),
  later: selfsame.trackExecutionTime(sink)(async function later(this: Calculator, x: number) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.base + x;
  }),
  fail: selfsame.trackExecutionTime(sink)(function fail(message: string): never {
    throw new Error(message);
  }),
  reject: selfsame.trackExecutionTime(sink)(async function reject(message: string) {
    await Promise.resolve();
    throw new Error(message);
  }),
};

/** A function decorated inside a function body: a local object. */
export function makeLocalFunction() {
  return selfsame.trackExecutionTime(sink)(function inner() {
    return 'inner';
  });
}
