// One createDecorator decoration (what every `@trackExecutionTime` or user decorator costs once
// per decorated function) against doing the same by hand: mimic-function or wraps() on a fresh
// wrapper. Two functions: one that already carries its qualname and module (a registered
// function, or one a selfsame decorator has seen), and a plain one, whose module selfsame must
// learn from the decoration site (the call stack). For the plain one, a floor: wraps() plus the
// cheapest way V8 offers to learn the caller's file (see below), which no decorator that learns
// its site can go under.
import mimicFunction from 'mimic-function';
import { createDecorator, defineIdentity, trackExecutionTime, wraps } from '../dist/index.js';
import { compare } from './measure.js';

function add(a, b) {
  return a + b;
}
const known = defineIdentity(
  function scale(a, b) {
    return a * b;
  },
  { qualname: 'scale', module: import.meta },
);

const wrapperOf = (fn) =>
  function wrapper(...args) {
    return Reflect.apply(fn, this, args);
  };
const passThrough = createDecorator('passThrough', (fn) => wrapperOf(fn));
const timed = trackExecutionTime({ logger: false });

// The cheapest way to learn the decoration site: one structured frame, captured in the very
// function the caller called, below that function (so no frame in between is walked), and its
// file read. It only learns the file; recording it on the wrapper would cost a definition more.
const toFrames = (_error, frames) => frames;
function wrapsLearningSite(fn) {
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = toFrames;
  Error.stackTraceLimit = 1;
  const holder = {};
  Error.captureStackTrace(holder, wrapsLearningSite);
  const file = holder.stack[0]?.getFileName();
  Error.prepareStackTrace = prepareStackTrace;
  Error.stackTraceLimit = stackTraceLimit;
  if (typeof file !== 'string') throw new Error('the floor learned no file');
  return wraps(fn)(wrapperOf(fn));
}
const FLOOR = "floor: wraps() + V8's 1-frame capture, file read";

const decorating = (decorate) => (n) => {
  let last;
  for (let i = 0; i < n; i++) last = decorate();
  return last;
};

for (const [label, fn, floor] of [
  ['a function with its identity (qualname, module)', known, false],
  ['a plain function (module from the decoration site)', add, true],
]) {
  compare(
    `Decorating ${label}, per decoration`,
    {
      'mimic-function on a fresh wrapper': decorating(() => mimicFunction(wrapperOf(fn), fn)),
      'wraps() on a fresh wrapper': decorating(() => wraps(fn)(wrapperOf(fn))),
      ...(floor && { [FLOOR]: decorating(() => wrapsLearningSite(fn)) }),
      'createDecorator decorator, dec(fn)': decorating(() => passThrough(fn)),
      'trackExecutionTime({ logger: false })(fn)': decorating(() => timed(fn)),
    },
    {
      iterations: 10_000,
      rounds: 21,
      goals: [
        {
          task: 'createDecorator decorator, dec(fn)',
          vs: 'mimic-function on a fresh wrapper',
          max: 1.0,
          label: `createDecorator decoration / mimic-function, ${label}`,
        },
        {
          task: 'createDecorator decorator, dec(fn)',
          vs: 'wraps() on a fresh wrapper',
          label: `createDecorator decoration / wraps(), ${label}`,
        },
        ...(floor
          ? [
              {
                task: FLOOR,
                vs: 'mimic-function on a fresh wrapper',
                label: 'the floor (wraps() + a 1-frame capture) / mimic-function',
              },
              {
                task: 'createDecorator decorator, dec(fn)',
                vs: FLOOR,
                label: 'createDecorator decoration / the floor, a plain function',
              },
            ]
          : []),
      ],
    },
  );
}
