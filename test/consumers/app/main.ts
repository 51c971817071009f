// The ES module entry: checks both halves and writes the report where the runner reads it.
import { writeFileSync } from 'node:fs';
import { isMainModule } from 'selfsame';
import { check } from './check.js';
import { logged, Tasks } from './tasks.js';

if (isMainModule(import.meta)) {
  check({ Tasks, logged }).then((report) => {
    writeFileSync(process.env.SELFSAME_REPORT ?? 'report.json', JSON.stringify(report));
  });
}
