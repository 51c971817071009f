import { describe, expectTypeOf, it } from 'vitest';
import {
  type ConfiguredDecorator,
  createDecorator,
  type DecorationContext,
  type ExecutionRecord,
  trackExecutionTime,
} from '../src/index.js';

describe('trackExecutionTime types', () => {
  it('keeps a decorated function’s type in a plain call', () => {
    const add = trackExecutionTime((a: number, b: number): number => a + b);
    expectTypeOf(add).toEqualTypeOf<(a: number, b: number) => number>();
    const later = trackExecutionTime({ logger: false })(async (x: string) => x.length);
    expectTypeOf(later).toEqualTypeOf<(x: string) => Promise<number>>();
  });

  it('returns a configured decorator for options', () => {
    expectTypeOf(trackExecutionTime()).toEqualTypeOf<ConfiguredDecorator>();
    expectTypeOf(
      trackExecutionTime({ onRecord: (_: ExecutionRecord) => {} }),
    ).toEqualTypeOf<ConfiguredDecorator>();
  });

  it('keeps decorated members’ types', () => {
    @trackExecutionTime
    class Task {
      @trackExecutionTime()
      run(text: string): number {
        return text.length;
      }

      @trackExecutionTime
      static create(): Task {
        return new Task();
      }

      @trackExecutionTime({ logger: false })
      get size(): number {
        return 1;
      }

      @trackExecutionTime()
      set label(_: string) {}

      @trackExecutionTime()
      #hidden(): boolean {
        return true;
      }

      peek(): boolean {
        return this.#hidden();
      }
    }
    expectTypeOf(new Task().run).toEqualTypeOf<(text: string) => number>();
    expectTypeOf(Task.create).toEqualTypeOf<() => Task>();
    expectTypeOf(new Task().size).toEqualTypeOf<number>();
    expectTypeOf(new Task().peek()).toEqualTypeOf<boolean>();
  });

  // Auto-accessors are rejected too: see test/standard/positions.ts (vitest's type-test parser
  // cannot read the `accessor` keyword).
  it('rejects the positions it refuses at run time', () => {
    class Box {
      // @ts-expect-error: a field holds no function
      @trackExecutionTime() size = 1;
      // @ts-expect-error: a bare decorator on a field too
      @trackExecutionTime count = 1;
    }
    expectTypeOf(new Box().size).toEqualTypeOf<number>();
  });

  it('rejects malformed options', () => {
    // @ts-expect-error: `logger` must have an `info` method or be `false`
    trackExecutionTime({ logger: true });
    // @ts-expect-error: `enabled` is a boolean
    trackExecutionTime({ enabled: 'yes' });
    // @ts-expect-error: an unknown option
    trackExecutionTime({ enable: true });
  });
});

describe('createDecorator types', () => {
  it('types the options through `settings.options`', () => {
    const retried = createDecorator(
      'retried',
      (fn, context: DecorationContext<number>) => {
        expectTypeOf(context.options).toEqualTypeOf<number>();
        return fn;
      },
      { options: (input: { times?: number } | undefined) => input?.times ?? 1 },
    );
    retried({ times: 3 });
    // @ts-expect-error: not an option of this decorator
    retried({ attempts: 3 });
    expectTypeOf(retried((x: number) => x)).toEqualTypeOf<(x: number) => number>();
  });

  it('describes the decoration context', () => {
    expectTypeOf<DecorationContext<undefined>['kind']>().toEqualTypeOf<
      'function' | 'class' | 'method' | 'getter' | 'setter'
    >();
    expectTypeOf<DecorationContext<undefined>['mode']>().toEqualTypeOf<
      'plain' | 'standard' | 'legacy'
    >();
    expectTypeOf<DecorationContext<undefined>['owner']>().toEqualTypeOf<Function | undefined>();
  });
});
