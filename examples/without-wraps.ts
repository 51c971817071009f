// Lesson 2 of the seed article: a hand-written decorator that skips `wraps`. Its wrapper is a
// local object of the decorator, so it cannot be found again by name in a worker, and selfsame
// refuses to send it, as pickle does, instead of running something else.
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainModule, NotReferenceableError } from 'selfsame';
import { Pool } from 'selfsame/pool';

/** The article's decorator with the `@wraps(func)` line commented out. */
export function trackExecutionTime<A extends unknown[], R>(
  func: (...args: A) => R,
): (...args: A) => R {
  return function wrapper(...args: A): R {
    const startTime = Date.now();
    console.log(`Starting task at ${startTime}`);
    const result = func(...args);
    const endTime = Date.now();
    console.log(`Ending task at ${endTime}`);
    console.log(`Task duration: ${endTime - startTime}`);
    return result;
  };
}

export const meaninglessTask = trackExecutionTime(async function meaninglessTask(
  dummyTextPartial: string,
): Promise<number> {
  await sleep(100);
  return dummyTextPartial.split(/\s+/).filter((word) => word.toLowerCase() === 'lorem').length;
});

async function main(): Promise<void> {
  const dummyText = ' Lorem ipsum dolor sit amet, consectetur Lorem adipiscing Lorem elit ';
  await using pool = new Pool({ size: 2 });
  try {
    await pool.map(meaninglessTask, dummyText.split(','));
  } catch (error) {
    if (!(error instanceof NotReferenceableError)) throw error;
    console.log(`${error.name} [${error.code}]: ${error.message}`);
  }
}

// `main()` is not awaited at top level: `toReference` imports this very module to check that
// the reference finds the function again, and a module still evaluating (a pending top-level
// await) would make that import wait for `main()`, which waits for the import.
if (isMainModule(import.meta)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
