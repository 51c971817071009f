/**
 * `result({ timeout })` settles within its timeout whatever the engine is doing: here the real
 * engines are pointed at servers that never answer, so no server is needed.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import PgBoss from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { bullmqQueue, pgBossQueue, ResultTimeoutError } from '../src/queue/index.js';

const TEST_TIMEOUT = 30_000;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A loopback port nothing listens on: taken by a listener, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never says a word: a peer that stopped answering. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { server, port: (server.address() as { port: number }).port, sockets };
}

/** Asserts that `waiting` rejects with the ResultTimeoutError of job `id` after `timeout` ms. */
async function expectTimeout(waiting: Promise<unknown>, id: string, timeout: number) {
  const error = await waiting.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ResultTimeoutError);
  expect((error as ResultTimeoutError).code).toBe('ERR_SELFSAME_RESULT_TIMEOUT');
  expect((error as ResultTimeoutError).jobId).toBe(id);
  expect((error as ResultTimeoutError).message).toBe(
    `Job ${id} on \`deadline\` did not finish within ${timeout} ms; it may still run: wait again with a longer \`timeout\``,
  );
}

/** A BullMQ producer of queue `deadline` for a Redis at `port`, closed after the test. */
function bullmqProducer(port: number) {
  const producer = bullmqQueue('deadline', {
    connection: { host: '127.0.0.1', port },
    unsigned: 'deadline',
  });
  closers.push(() => producer.close());
  return producer;
}

describe('result() settles within its timeout', () => {
  it(
    'on BullMQ, with Redis unreachable (a closed port)',
    async () => {
      const producer = bullmqProducer(await closedPort());
      await expectTimeout(producer.handle('1').result({ timeout: 500 }), '1', 500);
      // A second wait on the same, still unconnected producer is bounded the same way.
      await expectTimeout(producer.handle('2').result({ timeout: 300 }), '2', 300);
      await producer.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'on BullMQ, with a Redis that accepts the connection and never answers',
    async () => {
      const producer = bullmqProducer((await silentServer()).port);
      await expectTimeout(producer.handle('7').result({ timeout: 400 }), '7', 400);
      await producer.close();
    },
    TEST_TIMEOUT,
  );

  it(
    "on BullMQ, close() stops the producer's reconnect loops, so the process exits by itself",
    async () => {
      const port = await closedPort();
      // The built package, in a process of its own: it prints the error and must then exit
      // with nothing left running (no `process.exit`).
      const script = `
        import { bullmqQueue } from 'selfsame/queue';
        const producer = bullmqQueue('deadline', {
          connection: { host: '127.0.0.1', port: ${port} },
          unsigned: 'deadline',
        });
        try {
          await producer.handle('1').result({ timeout: 300 });
        } catch (error) {
          console.log(error.constructor.name, error.code);
        }
        await producer.close();
      `;
      const output = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--input-type=module', '-e', script],
          { timeout: 20_000, encoding: 'utf8' },
          (error, stdout, stderr) =>
            error ? reject(new Error(stderr, { cause: error })) : resolve(stdout),
        );
      });
      expect(output).toBe('ResultTimeoutError ERR_SELFSAME_RESULT_TIMEOUT\n');
    },
    TEST_TIMEOUT,
  );

  it(
    'on pg-boss, with a PostgreSQL that accepts the connection and never answers',
    async () => {
      // A PgBoss needs `start()` to reach PostgreSQL through its own pool, and start() against
      // a closed port fails at once (ECONNREFUSED). A peer that stops answering is what makes
      // `getJobById` wait: pg-boss's `db` option (its documented bring-your-own-connection)
      // with pg-boss's own node-postgres pool, pointed at a silent server.
      const { port } = await silentServer();
      const pg = createRequire(createRequire(import.meta.url).resolve('pg-boss'))('pg') as {
        Pool: new (
          config: object,
        ) => {
          query(text: string, values?: unknown[]): Promise<{ rows: never[] }>;
          end(): Promise<void>;
          on(event: string, listener: (error: Error) => void): void;
        };
      };
      const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'u', database: 'd' });
      pool.on('error', () => {});
      closers.push(() => pool.end());
      const boss = new PgBoss({ db: { executeSql: (text, values) => pool.query(text, values) } });
      const producer = pgBossQueue(boss, 'deadline', { unsigned: 'deadline' });
      const id = '00000000-0000-4000-8000-000000000001';
      await expectTimeout(producer.handle(id).result({ timeout: 400 }), id, 400);
    },
    TEST_TIMEOUT,
  );
});
