import fc from 'fast-check';
import PgBoss from 'pg-boss';
import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  ReferencePolicyError,
  SelfsameError,
  SignatureError,
} from '../src/errors.js';
import { errorRebuild } from '../src/pool/error-classes.js';
import {
  bullmqQueue,
  bullmqWorker,
  currentJob,
  JobPayloadError,
  JobResultError,
  pgBossQueue,
  pgBossWorker,
  QueueKeyError,
} from '../src/queue/index.js';
import { jsonIssue } from '../src/queue/json-data.js';
import { checkSecurity } from '../src/queue/options.js';
import { makePayload, openPayload } from '../src/queue/payload.js';
import { settle, storeError } from '../src/queue/result.js';
import { type JobFacts, runJob } from '../src/queue/run.js';
import { loadNamespace } from '../src/reference/load-module.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
type Fixture = Record<string, any>;
const tasks = (
  await loadNamespace(new URL('./fixtures/queue/tasks.js', import.meta.url).href, 'tasks.js')
).namespace as Fixture;
// Made, never started: constructing a PgBoss opens no connection.
const boss = new PgBoss('postgres://127.0.0.1:9/none');
const security = (queue: string, key: string | string[] = 'k1') =>
  checkSecurity(queue, { key }, 'worker');
const facts = (data: unknown, queue = 'q'): JobFacts => ({
  id: '7',
  queue,
  attempt: 1,
  signal: new AbortController().signal,
  progress: async () => {},
  data,
});

describe('signed by default', () => {
  it('refuses to start a worker without a key', async () => {
    await expect(pgBossWorker(boss, 'resize')).rejects.toThrow(
      new QueueKeyError(
        'Refused to start a worker for queue `resize` without a key: jobs could name any allowlisted function on behalf of anyone who can write to the queue; give `options.key` (the same key on producers and workers), or opt this queue out of signing by name with `unsigned: "resize"`',
      ),
    );
    await expect(bullmqWorker('resize', { connection: {} })).rejects.toBeInstanceOf(QueueKeyError);
  });

  it('refuses a producer without a key, with the stable code', () => {
    let thrown: unknown;
    try {
      pgBossQueue(boss, 'resize');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QueueKeyError);
    expect((thrown as QueueKeyError).code).toBe('ERR_SELFSAME_QUEUE_KEY');
    expect(() => bullmqQueue('resize', { connection: {} })).toThrow(QueueKeyError);
  });

  it('refuses an opt-out that names another queue', () => {
    expect(() => pgBossQueue(boss, 'resize', { unsigned: 'thumbnails' })).toThrow(
      new QueueKeyError(
        'Refused to start a producer for queue `resize` without a key: `unsigned` names `thumbnails`, not this queue; give `options.key` (the same key on producers and workers), or opt this queue out of signing by name with `unsigned: "resize"`',
      ),
    );
  });

  it('accepts an opt-out by the queue name', () => {
    expect(pgBossQueue(boss, 'resize', { unsigned: 'resize' }).queue).toBe('resize');
  });

  it('refuses both a key and an opt-out', () => {
    expect(() => pgBossQueue(boss, 'resize', { key: 'k', unsigned: 'resize' })).toThrow(
      new TypeError(
        'Expected either `options.key` or `options.unsigned`, got both: a signed queue cannot also be unsigned',
      ),
    );
  });
});

describe('argument checks', () => {
  it('names a malformed key, queue name, option and engine', () => {
    expect(() => pgBossQueue(boss, 'q', { key: '' })).toThrow(
      new TypeError(
        'Expected `options.key` to be a non-empty string or Uint8Array, got `""` (string)',
      ),
    );
    expect(() => pgBossQueue(boss, 'q', { key: ['a', 3 as never] })).toThrow(
      new TypeError(
        'Expected `options.key[1]` to be a non-empty string or Uint8Array, got `3` (number)',
      ),
    );
    expect(() => pgBossQueue(boss, '', { key: 'k' })).toThrow(
      new TypeError(
        'Expected `name` to be a queue name (a non-empty string of at most 200 characters), got `""` (string)',
      ),
    );
    expect(() => pgBossQueue(boss, 'q', { key: 'k', retries: 3 } as never)).toThrow(
      new TypeError(
        'Unknown option `options.retries`; expected one of `key`, `unsigned`, `root`, `packages`',
      ),
    );
    expect(() => pgBossQueue({} as never, 'q', { key: 'k' })).toThrow(
      new TypeError('Expected `boss` to be a started PgBoss, got an object'),
    );
    expect(() => bullmqQueue('q', { key: 'k', connection: 6379 })).toThrow(
      new TypeError(
        "Expected `options.connection` to be BullMQ connection options (for example `{ host: '127.0.0.1', port: 6379 }`) or an ioredis instance, got `6379` (number)",
      ),
    );
  });

  it('refuses a non-referenceable function and non-JSON arguments in the producer, sending nothing', async () => {
    const queue = pgBossQueue(boss, 'q', { key: 'k' });
    await expect(queue.enqueue(() => 1, [])).rejects.toThrow(
      /Can't serialize an anonymous function/,
    );
    await expect(queue.enqueue(tasks.countWords, 'a b' as never)).rejects.toThrow(
      new TypeError('Expected `args` to be an array of arguments, got `"a b"` (string)'),
    );
    await expect(queue.map(tasks.countWords, ['a', new Map()])).rejects.toThrow(
      new TypeError(
        'Expected `items` to be JSON data (jobs carry JSON), but `items[1]` is an object of class `Map`',
      ),
    );
    await expect(queue.handle('1').result({ timeout: 0 })).rejects.toThrow(
      new RangeError(
        'Expected `options.timeout` to be a number of milliseconds from 1 to 2147483647, got `0` (number)',
      ),
    );
  });
});

describe('JSON data', () => {
  it('finds the first value JSON would change, by path', () => {
    expect(jsonIssue({ a: [1, 'x', null, { b: true }] }, 'args')).toBeUndefined();
    expect(jsonIssue({ a: [1, undefined] }, 'args')).toBe('`args.a[1]` is `undefined`');
    expect(jsonIssue([Number.NaN], 'args')).toBe('`args[0]` is `NaN`, which JSON stores as null');
    expect(jsonIssue([1n], 'args')).toBe('`args[0]` is `1` (bigint)');
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is being tested.
    expect(jsonIssue([1, , 3], 'args')).toBe('`args[1]` is a hole');
    expect(
      jsonIssue(
        {
          get x() {
            return 1;
          },
        },
        'args',
      ),
    ).toBe('`args.x` is a getter');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonIssue(cycle, 'args')).toMatch(/is nested deeper than 64 levels \(a cycle\?\)$/);
  });
});

describe('the job payload', () => {
  it('round-trips: reference, arguments, and the key that verified it', async () => {
    const payload = await makePayload(tasks.countWords, ['a b'], security('q'));
    expect(payload).toEqual({
      selfsame: 1,
      ref: expect.objectContaining({
        module: './test/fixtures/queue/tasks.js',
        qualname: 'countWords',
      }),
      args: '["a b"]',
      mac: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
    });
    expect(openPayload(JSON.parse(JSON.stringify(payload)), security('q'), 'job 1')).toEqual({
      ref: payload.ref,
      args: ['a b'],
      key: 'k1',
    });
  });

  it('refuses changed arguments, another queue and another key with SignatureError', async () => {
    const payload = await makePayload(tasks.countWords, ['a b'], security('q'));
    expect(() => openPayload({ ...payload, args: '["a b c"]' }, security('q'), 'job 1')).toThrow(
      SignatureError,
    );
    expect(() => openPayload(payload, security('other'), 'job 1')).toThrow(SignatureError);
    expect(() => openPayload(payload, security('q', 'k2'), 'job 1')).toThrow(
      new SignatureError(
        "Refused job 1: its signature does not verify with this worker's key; it was signed with another key, or changed after signing",
      ),
    );
  });

  it('verifies with any key of a rotation, and signs with the first', async () => {
    const old = await makePayload(tasks.countWords, ['x'], security('q', 'old'));
    expect(openPayload(old, security('q', ['new', 'old']), 'job 1').key).toBe('old');
    const fresh = await makePayload(tasks.countWords, ['x'], security('q', ['new', 'old']));
    expect(openPayload(fresh, security('q', 'new'), 'job 1').key).toBe('new');
    expect(() => openPayload(fresh, security('q', 'old'), 'job 1')).toThrow(SignatureError);
  });

  it('refuses data that is not a payload', () => {
    expect(() => openPayload('rm -rf /', security('q'), 'job 1')).toThrow(
      new JobPayloadError(
        'Refused job 1: its data is `"rm -rf /"` (string), not a selfsame job ({ selfsame: 1, ref, args })',
      ),
    );
    expect(() =>
      openPayload({ selfsame: 1, ref: {}, args: '[]', run: 'x' }, security('q'), 'job 1'),
    ).toThrow(
      new JobPayloadError(
        'Refused job 1: its data has the field `run`; a selfsame job has only `selfsame`, `ref`, `args` and `mac`',
      ),
    );
  });
});

describe('runJob, the worker step of every engine', () => {
  it('resolves and runs an allowlisted function', async () => {
    const payload = await makePayload(tasks.countWords, ['one two three'], security('q'));
    const outcome = await runJob(facts(payload), { ...security('q'), verifyIntegrity: true });
    expect(outcome).toEqual({ stored: { selfsame: 1, value: '3' }, refused: false });
    expect(settle(outcome.stored)).toBe(3);
  });

  it('refuses a reference outside the policy on an unsigned queue, before importing', async () => {
    const unsigned = { ...checkSecurity('q', { unsigned: 'q' }, 'worker'), verifyIntegrity: true };
    const data = {
      selfsame: 1,
      ref: {
        v: 1,
        module: 'node:child_process',
        qualname: 'execSync',
        digest: `sha256:${'0'.repeat(64)}`,
      },
      args: '["id"]',
    };
    const outcome = await runJob(facts(data), unsigned);
    expect(outcome.refused).toBe(true);
    expect(() => settle(outcome.stored)).toThrow(ReferencePolicyError);
  });

  it('fails a result that is not JSON data with JobResultError', async () => {
    const payload = await makePayload(tasks.returnsDate, [], security('q'));
    const outcome = await runJob(facts(payload), { ...security('q'), verifyIntegrity: true });
    expect(outcome.refused).toBe(false);
    const error = (() => {
      try {
        settle(outcome.stored);
      } catch (thrown) {
        return thrown as JobResultError;
      }
    })();
    expect(error).toBeInstanceOf(JobResultError);
    expect(error?.code).toBe('ERR_SELFSAME_JOB_RESULT');
    expect(error?.message).toBe(
      'The result of `returnsDate` (job 7 on `q`) is not JSON data: `result` is an object of class `Date`; return plain data',
    );
  });

  it('has no job context outside a job', () => {
    expect(currentJob()).toBeUndefined();
  });
});

describe('stored errors', () => {
  it('rebuild selfsame, queue and built-in classes with code and cause', () => {
    const integrity = new IntegrityError('changed', 'sha256:a', 'sha256:b');
    const rebuilt = (() => {
      try {
        settle(JSON.parse(JSON.stringify(storeError(integrity))));
      } catch (error) {
        return error;
      }
    })() as IntegrityError;
    expect(rebuilt).toBeInstanceOf(IntegrityError);
    expect([rebuilt.code, rebuilt.expected, rebuilt.actual, rebuilt.message]).toEqual([
      'ERR_SELFSAME_INTEGRITY',
      'sha256:a',
      'sha256:b',
      'changed',
    ]);
    const queueError = new JobResultError('not JSON');
    expect(() => settle(JSON.parse(JSON.stringify(storeError(queueError))))).toThrow(
      JobResultError,
    );
    const big = Object.assign(new Error('big'), { size: 10n });
    const stored = storeError(big);
    expect(stored.error.props).toEqual({ size: '[not JSON: `10` (bigint)]' });
  });

  it("rebuild a queue class by its prototype, never a user's class that shares its name", () => {
    const thrownBy = (stored: unknown): unknown => {
      try {
        settle(JSON.parse(JSON.stringify(stored)) as never);
      } catch (error) {
        return error;
      }
      throw new Error('settle returned');
    };
    const real = thrownBy(storeError(new JobResultError('not JSON'))) as JobResultError;
    expect(real).toBeInstanceOf(JobResultError);
    expect([real.code, real.message, errorRebuild(real)]).toEqual([
      'ERR_SELFSAME_JOB_RESULT',
      'not JSON',
      undefined,
    ]);
    class JobPayloadError extends Error {}
    const mine = thrownBy(storeError(new JobPayloadError('my own'))) as Error;
    expect(mine).not.toBeInstanceOf(SelfsameError);
    expect([mine.constructor.name, mine.message, errorRebuild(mine)?.as]).toEqual([
      'JobPayloadError',
      'my own',
      'look-alike',
    ]);
  });

  it('turn a thrown non-error into an Error that says what was thrown', () => {
    const error = (() => {
      try {
        settle(storeError('plain string'));
      } catch (thrown) {
        return thrown as Error & { thrown?: unknown };
      }
    })();
    expect(error?.constructor).toBe(Error);
    expect(error?.message).toBe('A non-error value was thrown: `"plain string"` (string)');
    expect(error?.thrown).toBe('plain string');
  });
});

describe('any job data whatsoever', () => {
  const signedSetup = { ...security('q'), verifyIntegrity: true };
  const unsignedSetup = {
    ...checkSecurity('q', { unsigned: 'q' }, 'worker'),
    verifyIntegrity: true,
  };
  const tripRef = {
    v: 1,
    module: './test/fixtures/queue/tripwire.js',
    qualname: 'trip',
    digest: `sha256:${'0'.repeat(64)}`,
  };
  // Payload-shaped data: the fields a payload has, with hostile values, plus arbitrary JSON.
  const data = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        selfsame: fc.oneof(fc.constant(1), fc.jsonValue()),
        ref: fc.oneof(fc.constant(tripRef), fc.jsonValue()),
        args: fc.oneof(fc.constant('[]'), fc.string(), fc.jsonValue()),
        mac: fc.oneof(fc.string(), fc.constant(`hmac-sha256:${'a'.repeat(64)}`)),
      },
      { requiredKeys: [] },
    ),
  );

  it('on a signed queue, never opens: refused with JobPayloadError or SignatureError', () => {
    fc.assert(
      fc.property(data, (value) => {
        let thrown: unknown;
        try {
          openPayload(JSON.parse(JSON.stringify(value ?? null)), security('q'), 'job 1');
        } catch (error) {
          thrown = error;
        }
        expect(thrown instanceof JobPayloadError || thrown instanceof SignatureError).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('run by a worker on a signed queue, settles as a refusal and imports nothing', async () => {
    const before = Object.getOwnPropertyDescriptors(Object.prototype);
    await fc.assert(
      fc.asyncProperty(data, async (value) => {
        const outcome = await runJob(facts(JSON.parse(JSON.stringify(value ?? null))), signedSetup);
        expect(outcome.refused).toBe(true);
        expect(() => settle(outcome.stored)).toThrow(SelfsameError);
      }),
      { numRuns: 300 },
    );
    // The tripwire module marks a global when it is imported: no run got that far.
    expect((globalThis as { selfsameTripwire?: unknown }).selfsameTripwire).toBeUndefined();
    expect(Object.getOwnPropertyDescriptors(Object.prototype)).toEqual(before);
  });

  it('run by a worker on an unsigned queue, settles as a refusal and calls nothing', async () => {
    await fc.assert(
      fc.asyncProperty(data, async (value) => {
        const outcome = await runJob(
          facts(JSON.parse(JSON.stringify(value ?? null))),
          unsignedSetup,
        );
        expect(outcome.refused).toBe(true);
        expect(() => settle(outcome.stored)).toThrow(SelfsameError);
      }),
      { numRuns: 300 },
    );
    // Unsigned, a writer may make the worker import a module under its root (the tripwire's
    // digest is wrong, so IntegrityError follows), but never call a function it names.
    expect((globalThis as { selfsameTripwire?: unknown }).selfsameTripwire).not.toBe('called');
  });
});
