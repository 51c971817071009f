import { describe, expectTypeOf, it } from 'vitest';
import {
  type ApplyOptions,
  type MapOptions,
  type PoolOptions,
  type TaskContext,
  type TaskEvent,
  taskContext,
} from '../src/pool/index.js';

describe('task context types', () => {
  it('gives the running item a signal and a progress channel', () => {
    expectTypeOf(taskContext).returns.toEqualTypeOf<TaskContext>();
    expectTypeOf<TaskContext['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<TaskContext['progress']>().toEqualTypeOf<(data: unknown) => void>();
  });

  it('hands events to onProgress as an optional third argument', () => {
    expectTypeOf<TaskEvent>().toEqualTypeOf<{ readonly item: number; readonly data: unknown }>();
    expectTypeOf<ApplyOptions['onProgress']>().toEqualTypeOf<MapOptions['onProgress']>();
    const options: MapOptions = { onProgress: (done: number) => void done };
    expectTypeOf(options).toEqualTypeOf<MapOptions>();
  });

  it('takes the grace period in milliseconds', () => {
    expectTypeOf<PoolOptions['abortGracePeriod']>().toEqualTypeOf<number | undefined>();
  });
});
