// The ES module entry without decorator syntax: for runtimes that strip types only.
import { writeFileSync } from 'node:fs';
import { isMainModule } from 'selfsame';
import { check } from './check.js';

if (isMainModule(import.meta)) {
  check().then((report) => {
    writeFileSync(process.env.SELFSAME_REPORT ?? 'report.json', JSON.stringify(report));
  });
}
