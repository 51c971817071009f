// The CommonJS entry (a classic NestJS project compiles to CommonJS): `require.main` is the
// guard, since `import.meta` does not exist there.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { check } from './check.js';
import { logged, Tasks } from './tasks.js';

@Injectable()
export class Checker {
  run() {
    return check({ Tasks, logged });
  }
}

if (require.main === module) {
  new Checker().run().then((report) => {
    writeFileSync(process.env.SELFSAME_REPORT ?? 'report.json', JSON.stringify(report));
  });
}
