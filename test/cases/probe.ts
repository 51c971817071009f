// A decorator made with createDecorator that records the context of every decoration, applied
// to every position both decorator modes support. Compiled by the real tsc in both modes.
import type { DecorationContext } from '../../src/index.js';

/** The contexts the probe's factory received, in decoration order. */
export const contexts: DecorationContext<{ tag: string } | undefined>[] = [];

export const probe = selfsame.createDecorator(
  'probe',
  (fn, context: DecorationContext<{ tag: string } | undefined>) => {
    contexts.push(context);
    // One wrapper for functions and classes alike: `new.target` tells a construction.
    return function wrapper(this: unknown, ...args: unknown[]) {
      return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
    };
  },
);

@probe
export class Shapes {
  @probe({ tag: 'configured' })
  method(a: number, b: number): number {
    return a * b;
  }

  @probe
  static create(): Shapes {
    return new Shapes();
  }

  @probe
  get size(): number {
    return 3;
  }

  @probe
  set title(_: string) {}
}

/** Two selfsame decorators stacked on one member. */
export class Stacked {
  @selfsame.trackExecutionTime({ logger: false })
  @probe
  run(): string {
    return 'ran';
  }
}
