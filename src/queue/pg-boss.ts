/**
 * The pg-boss binding: jobs in PostgreSQL. selfsame never imports pg-boss: the user makes and
 * starts their own `PgBoss` (and creates the queue with its retry, expiry and dead-letter
 * policy); selfsame sends payloads with `boss.send`, runs them with `boss.work`, and stores
 * outcomes with `boss.complete` / `boss.fail`.
 */
import { describeValue } from '../internal/describe.js';
import { JobExpiredError, JobOutcomeError } from './errors.js';
import {
  checkQueueName,
  checkSecurity,
  type QueueOptions,
  splitOptions,
  type WorkerSecurityOptions,
} from './options.js';
import { type Engine, makeProducer, type Producer } from './producer.js';
import { isStoredOutcome, type StoredOutcome, storeError } from './result.js';
import { jobLabel, runJob } from './run.js';
import { InHand, type QueueWorker } from './worker.js';

/** A pg-boss job as `boss.work(name, { includeMetadata: true }, handler)` hands it over. */
export interface PgBossJob {
  /** The job's id. */
  readonly id: string;
  /** The job's data: a selfsame payload, or whatever a hostile writer put there. */
  readonly data: unknown;
  /** How many times the job was retried before this run. */
  readonly retryCount?: number;
  /** How long this run may take before pg-boss fails it (pg-boss 10 gives a numeric string). */
  readonly expireInSeconds?: number | string;
}

/** A pg-boss job as `boss.getJobById` returns it. */
export interface PgBossJobRecord {
  /** `created`, `retry`, `active`, `completed`, `cancelled` or `failed`. */
  readonly state: string;
  /** What `complete` or `fail` stored. */
  readonly output?: unknown;
}

/**
 * The part of a started `PgBoss` (pg-boss 10, 11 or 12) that selfsame uses; a `PgBoss` instance
 * is one.
 */
export interface PgBossLike {
  /** Stores a job; `null` when a singleton or throttle policy dropped it. */
  send(name: string, data: object, options: object): Promise<string | null>;
  /** Starts a polling worker and returns its id. */
  work(
    name: string,
    options: object,
    handler: (jobs: PgBossJob[]) => Promise<unknown>,
  ): Promise<string>;
  /**
   * Stops the worker with this id: `offWork({ id })` on pg-boss 10 and 11,
   * `offWork(name, { id, wait: true })` on pg-boss 12.
   */
  offWork(
    nameOrValue: string | { id: string },
    options?: { id?: string; wait?: boolean },
  ): Promise<void>;
  /** Completes an active job, storing `data` as its output. */
  complete(name: string, id: string, data: object): Promise<unknown>;
  /** Fails a job (to be retried while retries are left), storing `data` as its output. */
  fail(name: string, id: string, data: object): Promise<unknown>;
  /**
   * Reads a job. selfsame passes `{ includeArchive: true }`, which pg-boss 10 needs to find a job
   * moved to its archive; pg-boss 11 and 12 have no archive and ignore it.
   */
  getJobById(name: string, id: string, options?: object): Promise<PgBossJobRecord | null>;
}

/** Options of {@link pgBossWorker}: the security options, and pg-boss's own `work` options. */
export interface PgBossWorkerOptions extends WorkerSecurityOptions {
  /**
   * pg-boss `work` options (`batchSize`, `pollingIntervalSeconds`, `priority`), passed as they
   * are; `includeMetadata` is always on.
   */
  readonly work?: Readonly<Record<string, unknown>> | undefined;
}

const WORKER_OWN_KEYS = ['work'];
// pg-boss keeps a finished job for hours; a result is looked for there and in its archive.
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;

/**
 * A producer for one pg-boss queue: `enqueue` sends a job with `boss.send`, and a handle's
 * `result()` polls `boss.getJobById` until the job is completed or failed for good.
 *
 * @param boss - a started `PgBoss`; the queue must exist (`boss.createQueue(name, policy)`)
 * @param name - the queue's name
 * @param options - `key` (or `unsigned: name`), `root`, `packages`
 * @returns the producer; `send` options of each call go to `boss.send` as they are
 * @throws {@link QueueKeyError} without a key unless `unsigned` names the queue;
 *   `TypeError` on malformed arguments
 * @example
 * ```ts
 * const queue = pgBossQueue(boss, 'word-count', { key: process.env.QUEUE_KEY });
 * const job = await queue.enqueue(countWords, ['a b'], { send: { retryLimit: 3 } });
 * console.log(await job.result()); // 2
 * ```
 */
export function pgBossQueue(
  boss: PgBossLike,
  name: string,
  options?: QueueOptions,
): Producer<Readonly<Record<string, unknown>>> {
  checkBoss(boss);
  checkQueueName(name);
  const { security } = splitOptions(options, 'producer', []);
  const checked = checkSecurity(name, security, 'producer');
  const engine: Engine<Readonly<Record<string, unknown>>> = {
    async send(payload, sendOptions) {
      const id = await boss.send(name, payload, { ...sendOptions });
      if (typeof id !== 'string') {
        // pg-boss answers null when a singleton or throttle policy dropped the job.
        throw new JobOutcomeError(
          `pg-boss did not store the job on \`${name}\` (send returned ${describeValue(id)}): a singleton, throttle or debounce option dropped it`,
          '',
          'dropped',
        );
      }
      return id;
    },
    wait: (id, signal) => waitForOutcome(boss, name, id, signal),
  };
  return makeProducer(engine, checked);
}

/**
 * Starts a pg-boss worker for one queue that runs any allowlisted function its jobs name, with
 * pg-boss's own polling, batching, retries, expiry and dead letters. Each job's outcome is
 * stored with `boss.complete` or `boss.fail` before the job counts as done, so `close()` never
 * cuts a completion short.
 *
 * @param boss - a started `PgBoss`
 * @param name - the queue's name
 * @param options - `key` (or `unsigned: name`), `root`, `packages`, `verifyIntegrity`, `work`
 * @returns the running worker; `engine` is the id of pg-boss's worker
 * @throws {@link QueueKeyError} without a key unless `unsigned` names the queue;
 *   `TypeError` on malformed arguments; pg-boss's own errors from `boss.work`
 * @example
 * ```ts
 * const worker = await pgBossWorker(boss, 'word-count', { key: process.env.QUEUE_KEY });
 * process.once('SIGTERM', () => worker.close());
 * ```
 */
export async function pgBossWorker(
  boss: PgBossLike,
  name: string,
  options?: PgBossWorkerOptions,
): Promise<QueueWorker<string>> {
  checkBoss(boss);
  checkQueueName(name);
  const { security, rest } = splitOptions<PgBossWorkerOptions>(options, 'worker', WORKER_OWN_KEYS);
  const setup = checkSecurity(name, security, 'worker');
  const work = rest.work;
  if (work !== undefined && (typeof work !== 'object' || work === null || Array.isArray(work))) {
    throw new TypeError(
      `Expected \`options.work\` to be pg-boss work options, got ${describeValue(work)}`,
    );
  }
  const inHand = new InHand();
  const runOne = (job: PgBossJob) =>
    inHand.run(async () => {
      const controller = new AbortController();
      const expiry = expiryOf(job);
      let expired: (() => void) | undefined;
      const expiring = new Promise<void>((resolve) => {
        expired = resolve;
      });
      const timer =
        expiry === undefined ? undefined : setTimeout(() => expired?.(), expiry.failAfter);
      try {
        const running = runJob(
          {
            id: job.id,
            queue: name,
            attempt: (job.retryCount ?? 0) + 1,
            signal: controller.signal,
            progress: async () => {},
            data: job.data,
          },
          setup,
        );
        const outcome = await Promise.race([running, expiring]);
        if (outcome === undefined) {
          const seconds = expiry?.seconds ?? 0;
          const error = new JobExpiredError(
            `${capitalize(jobLabel(job.id, name))} ran out of its ${seconds} s (expireInSeconds): its signal was aborted and the job failed; pg-boss retries it while retries are left`,
            seconds,
          );
          controller.abort(error);
          await boss.fail(name, job.id, storeError(error));
          return;
        }
        // Stored here and awaited, not returned to pg-boss: pg-boss 10 does not await its own
        // `complete`, so a stop right after a job could close the pool under it.
        if ('error' in outcome.stored) await boss.fail(name, job.id, outcome.stored);
        else await boss.complete(name, job.id, outcome.stored);
      } finally {
        clearTimeout(timer);
      }
    });
  const id = await boss.work(name, { ...work, includeMetadata: true }, async (jobs) => {
    await Promise.all(jobs.map(runOne));
  });
  let closing: Promise<void> | undefined;
  return {
    queue: name,
    engine: id,
    close() {
      closing ??= (async () => {
        await stopWorker(boss, name, id);
        await inHand.drained();
      })();
      return closing;
    },
  };
}

/**
 * Stops one pg-boss worker. pg-boss 10 and 11 take `offWork({ id })`, where a string would stop
 * every worker on the queue; pg-boss 12 takes `offWork(name, { id })` and refuses an object with
 * an assertion before it touches anything. So the object form goes first, and only that refusal
 * sends the call again in pg-boss 12's form.
 */
async function stopWorker(boss: PgBossLike, name: string, id: string): Promise<void> {
  try {
    await boss.offWork({ id });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_ASSERTION') throw error;
    await boss.offWork(name, { id, wait: true });
  }
}

async function waitForOutcome(
  boss: PgBossLike,
  name: string,
  id: string,
  signal: AbortSignal,
): Promise<StoredOutcome> {
  let pause = FIRST_POLL_MS;
  for (;;) {
    signal.throwIfAborted();
    const job = await boss.getJobById(name, id, { includeArchive: true });
    if (job === null) {
      throw new JobOutcomeError(
        `${capitalize(jobLabel(id, name))} is gone: it was deleted before its outcome was read`,
        id,
        'missing',
      );
    }
    if (job.state === 'completed' || job.state === 'failed') {
      if (isStoredOutcome(job.output)) return job.output;
      throw new JobOutcomeError(
        `${capitalize(jobLabel(id, name))} ended as \`${job.state}\` without a selfsame outcome${foreignMessage(job.output)}`,
        id,
        job.state,
      );
    }
    if (job.state === 'cancelled') {
      throw new JobOutcomeError(`${capitalize(jobLabel(id, name))} was cancelled`, id, 'cancelled');
    }
    await pauseFor(pause, signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the loop then stops on its reason). */
function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * When to give up on a job. pg-boss 10 fails the whole batch when its handler outlives the
 * expiry, then completes (with no output) every job still active when the handler returns: so
 * the worker fails an expired job itself a little before, with its own error, and never lets
 * the handler outlive the expiry. PostgreSQL's EXTRACT gives a numeric, which node-postgres
 * hands over as a string.
 */
function expiryOf(job: PgBossJob): { seconds: number; failAfter: number } | undefined {
  const seconds = Number(job.expireInSeconds);
  if (!(seconds > 0)) return undefined;
  const limit = Math.max(1, seconds) * 1000;
  return { seconds, failAfter: limit - Math.min(1000, limit / 10) };
}

function foreignMessage(output: unknown): string {
  if (typeof output !== 'object' || output === null) return '';
  const { message, value } = output as { message?: unknown; value?: unknown };
  const inner =
    typeof value === 'object' && value !== null
      ? (value as { message?: unknown }).message
      : undefined;
  const text =
    typeof message === 'string' ? message : typeof inner === 'string' ? inner : undefined;
  return text === undefined ? '' : `: pg-boss says \`${text}\``;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function checkBoss(boss: unknown): asserts boss is PgBossLike {
  const methods = ['send', 'work', 'offWork', 'complete', 'fail', 'getJobById'];
  if (
    typeof boss !== 'object' ||
    boss === null ||
    methods.some((method) => typeof (boss as Record<string, unknown>)[method] !== 'function')
  ) {
    throw new TypeError(`Expected \`boss\` to be a started PgBoss, got ${describeValue(boss)}`);
  }
}
