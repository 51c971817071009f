// One createDecorator decoration (what every `@trackExecutionTime` or user decorator costs once
// per decorated function) against doing the same by hand: mimic-function or wraps() on a fresh
// wrapper. Two functions: one that already carries its qualname and module (a registered
// function, or one a selfsame decorator has seen), and a plain one, whose module selfsame must
// learn from the decoration site (the call stack).
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

const decorating = (decorate) => (n) => {
  let last;
  for (let i = 0; i < n; i++) last = decorate();
  return last;
};

for (const [label, fn] of [
  ['a function with its identity (qualname, module)', known],
  ['a plain function (module from the decoration site)', add],
]) {
  compare(
    `Decorating ${label}, per decoration`,
    {
      'mimic-function on a fresh wrapper': decorating(() => mimicFunction(wrapperOf(fn), fn)),
      'wraps() on a fresh wrapper': decorating(() => wraps(fn)(wrapperOf(fn))),
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
      ],
    },
  );
}
