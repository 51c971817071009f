// A worker process of the queue demo: runs any allowlisted function its queue's jobs name (no
// registry of names), and closes gracefully on SIGTERM, finishing the jobs in hand.
import { bullmqWorker } from 'selfsame/queue';

const { QUEUE_NAME, QUEUE_PORT, QUEUE_KEY } = process.env;
const worker = await bullmqWorker(QUEUE_NAME, {
  connection: { host: '127.0.0.1', port: Number(QUEUE_PORT), maxRetriesPerRequest: null },
  key: QUEUE_KEY,
  worker: { concurrency: 1 },
});
console.log(`Worker process ${process.pid} ready`);
process.once('SIGTERM', async () => {
  await worker.close();
  process.exit(0);
});
