// trackExecutionTime's per-call overhead against hand-written wrappers doing the same work.
//
// The peer for a collecting sink is a timing wrapper written by hand as fast as it can be written
// while doing what selfsame's contract says: it reads a clock captured once (the global
// `performance` is a getter on `globalThis`, and reading it on every call would flatter
// selfsame), times a throw as well as a return, builds the same record (qualname, module, start
// and end since the epoch, duration, outcome, error, thread id) and hands it to the same kind of
// sink, which must not change the call's outcome when it throws. It is a factory, as any
// hand-written timer of more than one function is: V8 shares the type feedback of every closure
// made from one function literal, so selfsame's wrapper and the peer's are compared in the same
// situation, timing the same functions with the same sinks.
//
// Each section runs in a fresh process (this file runs itself once per section), so that no
// section's functions, sinks or loggers reach the type feedback of another's wrappers; each
// synchronous row calls through a loop of its own, and in the sections that time into a sink the
// rows' order rotates every round (`rotate` in measure.js).
// A second peer adds the one check selfsame's contract adds to every call: whether anyone
// subscribes to the public tracing channel (`TRACING_CHANNEL`), publishing through it if so.
// Log lines go to a console on a synchronous /dev/null stream, so that the output stays readable
// and no write piles up in memory: both sides pay the same console formatting and write.
import { spawnSync } from 'node:child_process';
import { Console } from 'node:console';
import { tracingChannel } from 'node:diagnostics_channel';
import { openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { TRACING_CHANNEL, trackExecutionTime } from '../dist/index.js';
import { compare, compareAsync } from './measure.js';

function add(a, b) {
  return a + b;
}

async function addLater(a, b) {
  return a + b;
}

const clock = globalThis.performance;
const { timeOrigin } = clock;
const here = import.meta.url;

/** An observer's failure surfaces later and leaves the call's outcome alone, as in selfsame. */
function rethrowLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}

/** The record of a call that threw or rejected: off the hot path, so in a helper. */
function failedRecord(qualname, module, start, error) {
  const end = clock.now();
  return {
    qualname,
    module,
    start: timeOrigin + start,
    end: timeOrigin + end,
    durationMs: end - start,
    outcome: 'error',
    error,
    threadId,
  };
}

function deliver(onRecord, record) {
  try {
    onRecord(record);
  } catch (error) {
    rethrowLater(error);
  }
}

// The hand-written timer of a synchronous function. The record of a return is built in place:
// measured, that is cheaper than a shared helper building it.
function timedByHand(fn, qualname, module, onRecord) {
  return function timed(...args) {
    const start = clock.now();
    let result;
    try {
      result = Reflect.apply(fn, this, args);
    } catch (error) {
      deliver(onRecord, failedRecord(qualname, module, start, error));
      throw error;
    }
    const end = clock.now();
    deliver(onRecord, {
      qualname,
      module,
      start: timeOrigin + start,
      end: timeOrigin + end,
      durationMs: end - start,
      outcome: 'ok',
      error: undefined,
      threadId,
    });
    return result;
  };
}

// The same timer, also publishing on selfsame's tracing channel when someone subscribes, as
// trackExecutionTime does: the check every call pays. A literal of its own (not an option of
// timedByHand), so that the plain peer carries no byte of it: V8 inlines a function into its
// caller only while its bytecode fits a budget.
const channel = tracingChannel(TRACING_CHANNEL);
function timedAndTracedByHand(fn, qualname, module, onRecord) {
  const timed = timedByHand(fn, qualname, module, onRecord);
  return function traced(...args) {
    if (channel.hasSubscribers) {
      const context = { qualname, module, self: this, arguments: args };
      return channel.traceSync(timed, context, this, ...args);
    }
    const start = clock.now();
    let result;
    try {
      result = Reflect.apply(fn, this, args);
    } catch (error) {
      deliver(onRecord, failedRecord(qualname, module, start, error));
      throw error;
    }
    const end = clock.now();
    deliver(onRecord, {
      qualname,
      module,
      start: timeOrigin + start,
      end: timeOrigin + end,
      durationMs: end - start,
      outcome: 'ok',
      error: undefined,
      threadId,
    });
    return result;
  };
}

// The hand-written timer of an async function: it must time a rejection too, so two handlers.
function timedLaterByHand(fn, qualname, module, onRecord) {
  return function timed(...args) {
    const start = clock.now();
    return Reflect.apply(fn, this, args).then(
      (value) => {
        const end = clock.now();
        deliver(onRecord, {
          qualname,
          module,
          start: timeOrigin + start,
          end: timeOrigin + end,
          durationMs: end - start,
          outcome: 'ok',
          error: undefined,
          threadId,
        });
        return value;
      },
      (error) => {
        deliver(onRecord, failedRecord(qualname, module, start, error));
        throw error;
      },
    );
  };
}

// The async timer, also publishing on the tracing channel when someone subscribes.
function timedLaterAndTracedByHand(fn, qualname, module, onRecord) {
  const timed = timedLaterByHand(fn, qualname, module, onRecord);
  return function traced(...args) {
    if (channel.hasSubscribers) {
      const context = { qualname, module, self: this, arguments: args };
      return channel.tracePromise(timed, context, this, ...args);
    }
    const start = clock.now();
    return Reflect.apply(fn, this, args).then(
      (value) => {
        const end = clock.now();
        deliver(onRecord, {
          qualname,
          module,
          start: timeOrigin + start,
          end: timeOrigin + end,
          durationMs: end - start,
          outcome: 'ok',
          error: undefined,
          threadId,
        });
        return value;
      },
      (error) => {
        deliver(onRecord, failedRecord(qualname, module, start, error));
        throw error;
      },
    );
  };
}

// A sink collecting each record's two times into a preallocated buffer (memory stays flat); each
// side gets its own.
const SLOTS = 1 << 16;
function collector() {
  const buffer = new Float64Array(SLOTS);
  let slot = 0;
  return (record) => {
    buffer[slot] = record.start;
    buffer[slot + 1] = record.end;
    slot = (slot + 2) & (SLOTS - 1);
  };
}

// A sink keeping every record object in a ring: each record then survives young garbage
// collections, which is what retaining objects costs.
function retainer() {
  const ring = new Array(SLOTS / 2);
  let next = 0;
  return (record) => {
    ring[next] = record;
    next = (next + 1) & (SLOTS / 2 - 1);
  };
}

// Each row gets a loop of its own, compiled from source, so that its call site sees one callee,
// as a caller of one function does: one shared loop literal would make the call site polymorphic,
// and V8 would inline some rows' wrappers into it and not others, depending on their order.
const calling = (fn) =>
  new Function(
    'fn',
    'return (n) => { let sum = 0; for (let i = 0; i < n; i++) sum += fn(i, 1); return sum; };',
  )(fn);

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

const untracked = (onRecord) => trackExecutionTime({ logger: false, onRecord });

const SECTIONS = {
  collecting() {
    compare(
      'Per call, one timed function, its records to a collecting sink',
      {
        'hand-written: captured clock, the record to the sink': calling(
          timedByHand(add, 'add', here, collector()),
        ),
        'trackExecutionTime({ logger: false, onRecord })': calling(untracked(collector())(add)),
        'hand-written, plus the tracing channel check': calling(
          timedAndTracedByHand(add, 'add', here, collector()),
        ),
      },
      {
        rounds: 21,
        rotate: true,
        iterations: 200_000,
        goals: [
          {
            task: 'trackExecutionTime({ logger: false, onRecord })',
            vs: 'hand-written: captured clock, the record to the sink',
            max: 1.05,
            label: 'trackExecutionTime, collecting sink, sync / captured-clock wrapper',
          },
          {
            task: 'trackExecutionTime({ logger: false, onRecord })',
            vs: 'hand-written, plus the tracing channel check',
            label:
              'trackExecutionTime, collecting sink, sync / the same peer checking the tracing channel',
          },
        ],
      },
    );
  },

  retaining() {
    // Two timed functions per side, one sink collecting and one keeping its records: each
    // wrapper literal now sees two sinks, as in a program timing several functions.
    compare(
      'Per call, two timed functions on each side, one sink collecting, one keeping 32768 records',
      {
        'hand-written, collecting sink': calling(timedByHand(add, 'add', here, collector())),
        'trackExecutionTime, collecting sink': calling(untracked(collector())(add)),
        'hand-written, retaining sink': calling(timedByHand(add, 'add', here, retainer())),
        'trackExecutionTime, retaining sink': calling(untracked(retainer())(add)),
      },
      {
        rounds: 21,
        rotate: true,
        iterations: 200_000,
        goals: [
          {
            task: 'trackExecutionTime, collecting sink',
            vs: 'hand-written, collecting sink',
            label: 'trackExecutionTime, collecting sink beside a retaining one / hand-written',
          },
          {
            task: 'trackExecutionTime, retaining sink',
            vs: 'hand-written, retaining sink',
            label: 'trackExecutionTime, retaining sink / hand-written',
          },
        ],
      },
    );
  },

  async async() {
    await compareAsync(
      'Per call of an async function, its records to a collecting sink',
      {
        'hand-written: captured clock, then(ok, fail), the record to the sink': callingLater(
          timedLaterByHand(addLater, 'addLater', here, collector()),
        ),
        'trackExecutionTime({ logger: false, onRecord })': callingLater(
          untracked(collector())(addLater),
        ),
        'hand-written, plus the tracing channel check': callingLater(
          timedLaterAndTracedByHand(addLater, 'addLater', here, collector()),
        ),
      },
      {
        rounds: 21,
        rotate: true,
        iterations: 100_000,
        goals: [
          {
            task: 'trackExecutionTime({ logger: false, onRecord })',
            vs: 'hand-written: captured clock, then(ok, fail), the record to the sink',
            max: 1.05,
            label: 'trackExecutionTime, collecting sink, async / captured-clock wrapper',
          },
          {
            task: 'trackExecutionTime({ logger: false, onRecord })',
            vs: 'hand-written, plus the tracing channel check',
            label:
              'trackExecutionTime, collecting sink, async / the same peer checking the tracing channel',
          },
        ],
      },
    );
  },

  logging() {
    // A console on /dev/null, written synchronously as stdout to a file is.
    const fd = openSync('/dev/null', 'w');
    const nullStream = new Writable({
      write(chunk, _encoding, callback) {
        writeSync(fd, chunk);
        callback();
      },
    });
    const nullConsole = new Console({ stdout: nullStream, stderr: nullStream });
    function handLogged(...args) {
      const start = clock.now();
      nullConsole.log(`Starting add at ${new Date(timeOrigin + start).toISOString()}`);
      const result = Reflect.apply(add, this, args);
      const end = clock.now();
      nullConsole.log(`Ending add at ${new Date(timeOrigin + end).toISOString()}`);
      nullConsole.log(`Duration of add: ${(end - start).toFixed(3)} ms`);
      return result;
    }
    compare(
      'Per call, three log lines to a console (on /dev/null)',
      {
        'hand-written: 3 x console.log': calling(handLogged),
        'trackExecutionTime({ logger: console })': calling(
          trackExecutionTime({ logger: nullConsole })(add),
        ),
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
  },

  disabled() {
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
        // Alone in its process the loop inlines the function: about a nanosecond a call, so
        // many calls per round to rise above the timer's grain and the machine's noise.
        iterations: 10_000_000,
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
  },
};

const section = process.argv[2];
if (section === undefined) {
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(SECTIONS)) {
    const { status } = spawnSync(process.execPath, [...process.execArgv, self, name], {
      stdio: 'inherit',
    });
    if (status !== 0) process.exitCode = 1;
  }
} else if (Object.hasOwn(SECTIONS, section)) {
  await SECTIONS[section]();
} else {
  throw new Error(`No section ${JSON.stringify(section)}; the sections: ${Object.keys(SECTIONS)}`);
}
