// Lesson 1 of the seed article, on worker threads: two workers map a decorated task over the
// text split on commas. The decorated function travels by reference (module + qualified name),
// each worker imports this file and finds the very same decorated function, and the decorator
// runs in the worker: each worker prints its own start, end and duration lines.

import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { isMainModule, trackExecutionTime } from 'selfsame';
import { Pool } from 'selfsame/pool';
import { Timeline } from 'selfsame/timeline';

/** Runs once in each worker thread before its first task (the article's `initialize_worker`). */
export function initializeWorker(): void {
  console.log(`Worker thread ${threadId} ready`);
}

/** Counts the word "lorem" in a piece of text, slowly (the article's `meaningless_task`). */
export const meaninglessTask = trackExecutionTime(async function meaninglessTask(
  dummyTextPartial: string,
): Promise<number> {
  const words = dummyTextPartial.split(/\s+/).filter(Boolean);
  const loremCount = words.filter((word) => word.toLowerCase() === 'lorem').length;
  for (let step = 0; step < 5; step++) await sleep(100);
  return loremCount;
});

async function main(): Promise<void> {
  const dummyText = ' Lorem ipsum dolor sit amet, consectetur Lorem adipiscing Lorem elit ';
  // The timeline of the run: the workers' timed calls and the pool's own spans.
  const timeline = new Timeline();
  await using pool = new Pool({
    size: 2,
    initializer: initializeWorker,
    onRecord: timeline.record,
  });
  const results = await pool.map(meaninglessTask, dummyText.split(','));
  const page = new URL('./seed-pool.timeline.html', import.meta.url);
  await writeFile(page, timeline.toHTML({ title: 'Lesson 1: two workers' }));
  await writeFile(
    new URL('./seed-pool.trace.json', import.meta.url),
    JSON.stringify(timeline.toTraceEvents()),
  );
  await writeFile(new URL('./seed-pool.records.json', import.meta.url), JSON.stringify(timeline));
  console.log(
    `Timeline: ${page.pathname.slice(process.cwd().length + 1)} (and .trace.json for Perfetto)`,
  );
  console.log(`Word count results: [${results.join(', ')}]`);
}

// Every worker imports this file to find `meaninglessTask`: without this guard (Python's
// `if __name__ == "__main__":`), each worker would start `main()` again.
// `main()` is not awaited at top level: `toReference` imports this very module to check that
// the reference finds the function again, and a module still evaluating (a pending top-level
// await) would make that import wait for `main()`, which waits for the import.
if (isMainModule(import.meta)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
