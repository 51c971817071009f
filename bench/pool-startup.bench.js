// Pool start-up against piscina's: a new pool of two threads until its first result, in this
// process (the pool closed afterwards, untimed), and as a whole process that starts a pool, gets
// one result and closes it (timed from spawn to exit), beside an empty Node process. A floor row
// runs piscina on a worker file that imports the very ES task module the pool runs (it imports
// selfsame/identity): what an ES task module costs a worker whatever runs it, so that the ratio
// to it is what the pool itself adds.
import { spawn } from 'node:child_process';
import { Piscina } from 'piscina';
import { Pool } from 'selfsame/pool';
import { double } from './fixtures/pool-tasks.js';
import { compareAsync } from './measure.js';

const fixture = (name) => new URL(`./fixtures/${name}`, import.meta.url);

/** Times `start()` until its first result; what `stop` costs is not counted. */
const untilFirstResult = (start) => async () => {
  const begin = process.hrtime.bigint();
  const { first, stop } = await start();
  const ns = Number(process.hrtime.bigint() - begin);
  if (first !== 42) throw new Error('wrong result');
  await stop();
  return { ns };
};

/** piscina with two threads on the worker file `name`, until its first result. */
const piscinaOn = (name) =>
  untilFirstResult(async () => {
    const piscina = new Piscina({ filename: fixture(name).href, minThreads: 2, maxThreads: 2 });
    return { first: await piscina.run(21), stop: () => piscina.close() };
  });

await compareAsync(
  'A new pool of 2 threads until its first result, in this process',
  {
    'piscina: new Piscina() + run()': piscinaOn('piscina-double.cjs'),
    'floor: piscina running the ES task module': piscinaOn('piscina-es-task.cjs'),
    'selfsame: new Pool() + apply()': untilFirstResult(async () => {
      const pool = new Pool({ size: 2 });
      return { first: await pool.apply(double, [21]), stop: () => pool.close() };
    }),
  },
  {
    rounds: 15,
    iterations: 1,
    warmup: 1,
    goals: [
      {
        task: 'selfsame: new Pool() + apply()',
        vs: 'piscina: new Piscina() + run()',
        max: 1.2,
        label: 'pool start-up in process (new pool + first result) / piscina',
      },
      {
        task: 'selfsame: new Pool() + apply()',
        vs: 'floor: piscina running the ES task module',
        label: 'pool start-up in process / piscina running the same ES task module',
      },
    ],
  },
);

/** Runs a Node program (with `args`) to its end; fails on a non-zero exit. */
const program =
  (name, ...args) =>
  () =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fixture(name).pathname, ...args], {
        stdio: 'inherit',
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(undefined) : reject(new Error(`${name} exited with ${code}`)),
      );
    });

await compareAsync(
  'A whole process: start a pool of 2, one result, close',
  {
    'an empty Node process': program('empty.js'),
    piscina: program('startup-piscina.js'),
    'floor: piscina running the ES task module': program(
      'startup-piscina.js',
      'piscina-es-task.cjs',
    ),
    'selfsame/pool': program('startup-selfsame.js'),
  },
  {
    rounds: 11,
    iterations: 1,
    warmup: 1,
    goals: [
      {
        task: 'selfsame/pool',
        vs: 'piscina',
        max: 1.2,
        label: 'pool start-up, whole process / piscina',
      },
      {
        task: 'selfsame/pool',
        vs: 'floor: piscina running the ES task module',
        label: 'pool start-up, whole process / piscina running the same ES task module',
      },
    ],
  },
);
