import { MessageChannel, MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { TaskFailedError, transfer, UncloneableError } from '../dist/pool/index.js';
import { fromRejection, type TaskFacts } from '../dist/pool/outcome.js';
import { loadPoolFixture, usePools } from './support/pool.js';

const moves = await loadPoolFixture('transfer.js');
const open = usePools();

describe('Pool: transfer', () => {
  it('moves an argument to the worker: the caller’s buffer is detached', async () => {
    const pool = open();
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    expect(await pool.apply(moves.sum, [transfer(buffer)])).toBe(10);
    expect(buffer.byteLength).toBe(0);
  });

  it('copies an argument that is not marked', async () => {
    const pool = open();
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    expect(await pool.apply(moves.sum, [buffer])).toBe(10);
    expect(buffer.byteLength).toBe(4);
  });

  it('moves a typed array’s whole buffer, in map items too', async () => {
    const pool = open();
    const views = [new Uint8Array([5, 5]), new Uint8Array([1])];
    expect(
      await pool.map(
        moves.sum,
        views.map((view) => transfer(view)),
      ),
    ).toEqual([10, 1]);
    expect(views.map((view) => view.buffer.byteLength)).toEqual([0, 0]);
  });

  it('moves a result back: the worker’s buffer is detached, the caller gets the bytes', async () => {
    const pool = open({ size: 1 });
    const view = await pool.apply(moves.movedThenLength, [1024]);
    expect(view).toBeInstanceOf(Uint8Array);
    expect((view as Uint8Array).byteLength).toBe(1024);
    expect(await pool.apply(moves.lastMovedLength, [])).toBe(0);
    const filled = (await pool.apply(moves.filledByTransfer, [8, 7])) as Uint8Array;
    expect([...filled]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it('copies a result that is not marked: the worker keeps its own', async () => {
    const pool = open({ size: 1 });
    const view = (await pool.apply(moves.filledByCopy, [16, 1])) as Uint8Array;
    expect(view.byteLength).toBe(16);
    expect(await pool.apply(moves.lastCopiedLength, [])).toBe(16);
  });

  it('moves a MessagePort, which then carries messages between the threads', async () => {
    const pool = open();
    const { port1, port2 } = new MessageChannel();
    const answer = new Promise((resolve) => port1.once('message', resolve));
    expect(await pool.apply(moves.answerOn, [transfer(port2), 'hello'])).toBe('sent');
    expect(await answer).toBe('HELLO');
    port1.close();
  });

  it('moves a result back from a worker that retires after it (maxTasksPerWorker)', async () => {
    const pool = open({ size: 1, maxTasksPerWorker: 1 });
    const { port1, port2 } = new MessageChannel();
    const left = new Promise((resolve) => port1.once('message', resolve));
    const view = (await pool.apply(moves.movedThenReport, [64, transfer(port2)])) as Uint8Array;
    expect(view).toBeInstanceOf(Uint8Array);
    expect([...view]).toEqual(new Array(64).fill(3));
    // The worker's own view is detached: the buffer moved, it was not copied.
    expect(await left).toBe(0);
    port1.close();
  });

  it('moves a MessagePort back from a worker that retires after it, and the port works', async () => {
    const pool = open({ size: 1, maxTasksPerWorker: 1 });
    for (const text of ['first', 'second']) {
      const port = (await pool.apply(moves.portWith, [text])) as MessagePort;
      expect(port).toBeInstanceOf(MessagePort);
      const received = new Promise((resolve) => port.once('message', resolve));
      expect(await received).toBe(text);
      port.close();
    }
  });

  it('an unexplained failure does not blame the arguments that moved (a detached buffer, a port)', () => {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    const { port1 } = new MessageChannel();
    const facts: TaskFacts = {
      label: '`f` (tasks.js)',
      initializer: undefined,
      items: [[buffer, port1]],
      spread: true,
      offset: 0,
      signal: undefined,
      timedOut: false,
      timeout: 0,
      terminating: false,
      moved: [buffer, port1],
    };
    const odd = new Error('something else went wrong');
    expect(fromRejection(odd, facts)).toEqual(
      new TaskFailedError('The worker thread running `f` (tasks.js) failed', { cause: odd }),
    );
    expect(fromRejection(odd, facts)).toBeInstanceOf(TaskFailedError);
    // An argument that did not move and cannot be cloned is still the one named.
    const uncloneable = fromRejection(odd, { ...facts, items: [[buffer, port1, () => 1]] });
    expect(uncloneable).toBeInstanceOf(UncloneableError);
    expect(uncloneable.message).toMatch(
      /^Cannot send the arguments of `f` \(tasks\.js\) to a worker thread: argument 2 \(/,
    );
    port1.close();
  });

  it('refuses what cannot move, naming it', () => {
    expect(() => transfer({} as ArrayBuffer)).toThrow(
      new TypeError(
        'Expected `value` to be an ArrayBuffer, a typed array, a DataView or a MessagePort, got an object',
      ),
    );
    expect(() => transfer(new SharedArrayBuffer(8) as unknown as ArrayBuffer)).toThrow(TypeError);
  });

  it('returns the value itself', () => {
    const buffer = new ArrayBuffer(4);
    expect(transfer(buffer)).toBe(buffer);
  });
});
