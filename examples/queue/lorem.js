// The seed article's task, for the queue demo: a decorated function that worker processes on
// any machine find again by reference (this module and the qualified name `meaninglessTask`).
import { setTimeout as sleep } from 'node:timers/promises';
import { trackExecutionTime } from 'selfsame';

/** Counts the word "lorem" in a piece of text, slowly (the article's `meaningless_task`). */
export const meaninglessTask = trackExecutionTime(async function meaninglessTask(dummyTextPartial) {
  const words = dummyTextPartial.split(/\s+/).filter(Boolean);
  const loremCount = words.filter((word) => word.toLowerCase() === 'lorem').length;
  for (let step = 0; step < 5; step++) await sleep(100);
  return loremCount;
});
