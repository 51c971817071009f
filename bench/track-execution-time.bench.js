// trackExecutionTime's per-call overhead against hand-written wrappers doing the same work: two
// clock readings into a preallocated buffer (the floor of any timing wrapper, with the clock
// captured once, as the fastest hand-written wrapper would: the global `performance` is a getter
// on `globalThis`, and reading it on every call would flatter selfsame) against selfsame with a
// collecting `onRecord` sink, for a synchronous and an async function; three `console.log` lines per call against the
// default logger's three lines; and `enabled: false`, which returns the function itself.
// Log lines go to a console on a synchronous /dev/null stream, so that the output stays readable
// and no write piles up in memory: both sides pay the same console formatting and write.
import { Console } from 'node:console';
import { openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { trackExecutionTime } from '../dist/index.js';
import { compare, compareAsync } from './measure.js';

function add(a, b) {
  return a + b;
}

async function addLater(a, b) {
  return a + b;
}

// The floor: a hand-written wrapper taking two readings of a captured clock into a buffer.
const clock = globalThis.performance;
const SLOTS = 1 << 16;
const buffer = new Float64Array(SLOTS);
let slot = 0;
function handTimed(...args) {
  const start = clock.now();
  const result = Reflect.apply(add, this, args);
  const end = clock.now();
  buffer[slot] = start;
  buffer[slot + 1] = end;
  slot = (slot + 2) & (SLOTS - 1);
  return result;
}
// An async timer must time a rejection too, as trackExecutionTime does: two handlers.
function handTimedLater(...args) {
  const start = clock.now();
  const record = () => {
    const end = clock.now();
    buffer[slot] = start;
    buffer[slot + 1] = end;
    slot = (slot + 2) & (SLOTS - 1);
  };
  return Reflect.apply(addLater, this, args).then(
    (value) => {
      record();
      return value;
    },
    (error) => {
      record();
      throw error;
    },
  );
}

// selfsame with a sink collecting the same two readings into a preallocated buffer, and, for
// the record, a sink keeping every record object in a ring (each record then survives young
// garbage collections, which is what retaining objects costs).
const collectedBuffer = new Float64Array(SLOTS);
let collectedSlot = 0;
const collecting = trackExecutionTime({
  logger: false,
  onRecord: (record) => {
    collectedBuffer[collectedSlot] = record.start;
    collectedBuffer[collectedSlot + 1] = record.end;
    collectedSlot = (collectedSlot + 2) & (SLOTS - 1);
  },
});
const collected = collecting(add);
const collectedLater = collecting(addLater);
const ring = new Array(SLOTS / 2);
let next = 0;
const retained = trackExecutionTime({
  logger: false,
  onRecord: (record) => {
    ring[next] = record;
    next = (next + 1) & (SLOTS / 2 - 1);
  },
})(add);

const calling = (fn) => (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += fn(i, 1);
  return sum;
};

compare(
  'Per call, timing into a collector',
  {
    'hand-written: 2 x captured clock.now() into a buffer': calling(handTimed),
    'trackExecutionTime({ logger: false, onRecord })': calling(collected),
    'the same, the sink keeping 32768 records in a ring': calling(retained),
  },
  {
    rounds: 21,
    iterations: 200_000,
    goals: [
      {
        task: 'trackExecutionTime({ logger: false, onRecord })',
        vs: 'hand-written: 2 x captured clock.now() into a buffer',
        max: 1.05,
        label: 'trackExecutionTime, collecting sink, sync / captured-clock wrapper',
      },
    ],
  },
);

// Async: each round awaits its calls in batches of 1,000, so that the promises settle as a
// caller's would and memory stays flat.
const callingLater = (fn) => async (n) => {
  let sum = 0;
  for (let i = 0; i < n; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) batch.push(fn(j, 1));
    for (const value of await Promise.all(batch)) sum += value;
  }
  return sum;
};
await compareAsync(
  'Per call of an async function, timing into a collector',
  {
    'hand-written: 2 x captured clock.now(), then(ok, fail)': callingLater(handTimedLater),
    'trackExecutionTime({ logger: false, onRecord })': callingLater(collectedLater),
  },
  {
    rounds: 21,
    iterations: 100_000,
    goals: [
      {
        task: 'trackExecutionTime({ logger: false, onRecord })',
        vs: 'hand-written: 2 x captured clock.now(), then(ok, fail)',
        max: 1.05,
        label: 'trackExecutionTime, collecting sink, async / captured-clock wrapper',
      },
    ],
  },
);

// A console on /dev/null, written synchronously as stdout to a file is.
const fd = openSync('/dev/null', 'w');
const nullStream = new Writable({
  write(chunk, _encoding, callback) {
    writeSync(fd, chunk);
    callback();
  },
});
const nullConsole = new Console({ stdout: nullStream, stderr: nullStream });

const { timeOrigin } = clock;
function handLogged(...args) {
  const start = clock.now();
  nullConsole.log(`Starting add at ${new Date(timeOrigin + start).toISOString()}`);
  const result = Reflect.apply(add, this, args);
  const end = clock.now();
  nullConsole.log(`Ending add at ${new Date(timeOrigin + end).toISOString()}`);
  nullConsole.log(`Duration of add: ${(end - start).toFixed(3)} ms`);
  return result;
}
const logged = trackExecutionTime({ logger: nullConsole })(add);

compare(
  'Per call, three log lines to a console (on /dev/null)',
  {
    'hand-written: 3 x console.log': calling(handLogged),
    'trackExecutionTime({ logger: console })': calling(logged),
  },
  {
    rounds: 21,
    iterations: 5_000,
    goals: [
      {
        task: 'trackExecutionTime({ logger: console })',
        vs: 'hand-written: 3 x console.log',
        max: 1.1,
        label: 'trackExecutionTime, default log lines / hand-written lines',
      },
    ],
  },
);

const disabled = trackExecutionTime({ enabled: false })(add);
if (disabled !== add) throw new Error('`enabled: false` must return the function itself');
compare(
  'Per call, disabled',
  {
    'the function itself': calling(add),
    'trackExecutionTime({ enabled: false })': calling(disabled),
  },
  {
    rounds: 21,
    iterations: 1_000_000,
    goals: [
      {
        task: 'trackExecutionTime({ enabled: false })',
        vs: 'the function itself',
        max: 1.05,
        label: 'trackExecutionTime({ enabled: false }) / the function itself',
      },
    ],
  },
);
