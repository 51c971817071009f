import type PgBoss from 'pg-boss';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type BullMQProducer,
  bullmqQueue,
  bullmqWorker,
  currentJob,
  type JobContext,
  type JobHandle,
  type PgBossLike,
  pgBossQueue,
  pgBossWorker,
  type QueueWorker,
} from '../src/queue/index.js';

declare const boss: PgBoss;
declare function add(a: number, b: number): number;
declare function countWords(text: string): Promise<number>;

describe('selfsame/queue types', () => {
  it('a started PgBoss is a PgBossLike', () => {
    expectTypeOf(boss).toMatchTypeOf<PgBossLike>();
    expectTypeOf(pgBossQueue(boss, 'q', { key: 'k' }).queue).toEqualTypeOf<string>();
  });

  it("enqueue takes the function's own arguments and resolves to a handle of its awaited result", () => {
    const queue = pgBossQueue(boss, 'q', { key: 'k' });
    expectTypeOf(queue.enqueue(add, [1, 2])).toEqualTypeOf<Promise<JobHandle<number>>>();
    expectTypeOf(queue.enqueue(countWords, ['a b'])).toEqualTypeOf<Promise<JobHandle<number>>>();
    // @ts-expect-error: the arguments must match the function
    queue.enqueue(add, ['1', 2]);
  });

  it('map takes items of the parameter type and gathers results', () => {
    const queue: BullMQProducer = bullmqQueue('q', { connection: {}, key: 'k' });
    expectTypeOf(queue.map(countWords, ['a', 'b'])).toEqualTypeOf<Promise<number[]>>();
    // @ts-expect-error: numbers are not strings
    queue.map(countWords, [1, 2]);
  });

  it('a handle resolves to the result; handle() defaults to unknown', async () => {
    const queue = pgBossQueue(boss, 'q', { key: 'k' });
    const handle = await queue.enqueue(add, [1, 2]);
    expectTypeOf(handle.result()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(queue.handle('7').result()).toEqualTypeOf<Promise<unknown>>();
  });

  it('workers expose their engine', () => {
    expectTypeOf(pgBossWorker(boss, 'q', { key: 'k' })).toEqualTypeOf<
      Promise<QueueWorker<string>>
    >();
    expectTypeOf(bullmqWorker('q', { connection: {}, key: 'k' })).toEqualTypeOf<
      Promise<QueueWorker<import('bullmq').Worker>>
    >();
  });

  it('currentJob is a context or undefined', () => {
    expectTypeOf(currentJob()).toEqualTypeOf<JobContext | undefined>();
    // @ts-expect-error: options take a key or an opt-out by name, not a boolean
    pgBossQueue(boss, 'q', { unsigned: true });
  });
});
