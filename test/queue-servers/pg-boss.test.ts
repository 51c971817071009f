// pg-boss 10 (the `pg-boss` devDependency): `offWork({ id })`, expiry by `boss.expire()`.
import PgBoss from 'pg-boss';
import { describePgBoss } from './pg-boss-suite.js';

describePgBoss({
  label: 'pg-boss 10',
  module: 'pg-boss',
  make(url, options) {
    const boss = new PgBoss({ connectionString: url, ...options });
    boss.on('error', (error) => console.error('pg-boss 10 (producer):', error.message));
    return boss;
  },
  reclaim: (boss) => boss.expire(),
});
