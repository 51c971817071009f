// `npm run demo:queue`: the seed article's word count across processes. Uses the Redis server
// on 127.0.0.1:6379 when one answers, otherwise starts a throwaway one on a free port; starts
// two worker processes; sends one job per piece of text through BullMQ; prints the results in
// input order; then stops everything it started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { bullmqQueue } from 'selfsame/queue';
import { meaninglessTask } from './lorem.js';
import { ping, startRedis } from './servers.js';

const started = (await ping('127.0.0.1', 6379)) ? undefined : await startRedis();
const port = started?.port ?? 6379;
console.log(
  started
    ? `Started redis-server on 127.0.0.1:${port}`
    : `Using the Redis server on 127.0.0.1:${port}`,
);
// The key signs every job: a worker refuses what its producer did not sign.
const env = {
  ...process.env,
  QUEUE_NAME: `word-count-${process.pid}`,
  QUEUE_PORT: String(port),
  QUEUE_KEY: randomBytes(32).toString('hex'),
};
const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
const workers = [0, 1].map(() =>
  spawn(process.execPath, [workerFile], { env, stdio: ['ignore', 'pipe', 'inherit'] }),
);
const exits = workers.map((child) => new Promise((resolve) => child.once('exit', resolve)));
try {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('a worker process did not start within 30 s')),
            30_000,
          );
          child.stdout.on('data', (data) => {
            process.stdout.write(data);
            if (data.toString().includes('ready')) {
              clearTimeout(timer);
              resolve();
            }
          });
        }),
    ),
  );
  const queue = bullmqQueue(env.QUEUE_NAME, {
    connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null },
    key: env.QUEUE_KEY,
  });
  const dummyText = ' Lorem ipsum dolor sit amet, consectetur Lorem adipiscing Lorem elit ';
  const results = await queue.map(meaninglessTask, dummyText.split(','), { timeout: 30_000 });
  console.log(`Word count results: [${results.join(', ')}]`);
  await queue.close();
} finally {
  for (const child of workers) child.kill('SIGTERM');
  await Promise.all(exits);
  await started?.stop();
}
