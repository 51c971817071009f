// pg-boss 12 (the `pg-boss-12` alias devDependency): a named export, `offWork(name, { id })`,
// and expiry by `boss.supervise()` (pg-boss 11 dropped `expire()`), which expires a queue's jobs
// at most once per `monitorIntervalSeconds` (60 by default, 1 here).
import { PgBoss } from 'pg-boss-12';
import { describePgBoss } from './pg-boss-suite.js';

describePgBoss({
  label: 'pg-boss 12',
  module: 'pg-boss-12',
  make(url, options) {
    const boss = new PgBoss({ connectionString: url, ...options, monitorIntervalSeconds: 1 });
    boss.on('error', (error) => console.error('pg-boss 12 (producer):', error.message));
    return boss;
  },
  reclaim: (boss) => boss.supervise(),
});
