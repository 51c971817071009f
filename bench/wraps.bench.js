// wraps() against mimic-function, the most used "copy a function's properties" library, applied
// to the same functions, beside the floor every such library pays: redefining `name` and `length`
// (V8 then moves the wrapper to dictionary-mode properties). Then a call through a wraps()-updated
// wrapper against the very same hand-written closure left alone. Every decoration task creates a
// fresh wrapper from the same literal, as a decorator does.
import mimicFunction from 'mimic-function';
import { defineIdentity, wraps } from '../dist/index.js';
import { compare } from './measure.js';

function add(a, b) {
  return a + b;
}

function route(request, response) {
  return [request, response];
}
defineIdentity(route, {
  qualname: 'CatsController.route',
  module: 'file:///cats.js',
  doc: 'Lists cats.',
});
route.path = '/cats';
route.method = 'GET';
route[Symbol('guards')] = [];

const wrapperOf = (fn) =>
  function wrapper(...args) {
    return fn(...args);
  };

/** A task applying `decorate(wrapper, fn)` to a fresh wrapper `n` times. */
const decorating = (fn, decorate) => (n) => {
  let last;
  for (let i = 0; i < n; i++) last = decorate(wrapperOf(fn), fn);
  return last;
};

function floor(to, from) {
  Object.defineProperty(to, 'name', { value: from.name });
  Object.defineProperty(to, 'length', { value: from.length });
  return to;
}

for (const [label, fn] of [
  ['a plain function', add],
  ['a function with qualname, module, doc and 3 own properties', route],
]) {
  compare(
    `Decorating ${label}, per application`,
    {
      'mimic-function': decorating(fn, (wrapper, wrapped) => mimicFunction(wrapper, wrapped)),
      'wraps()': decorating(fn, (wrapper, wrapped) => wraps(wrapped)(wrapper)),
      'floor: redefine name + length only': decorating(fn, floor),
    },
    {
      iterations: 20_000,
      rounds: 21,
      goals: [
        {
          task: 'wraps()',
          vs: 'mimic-function',
          max: 0.3,
          label: `wraps() / mimic-function, ${label}`,
        },
      ],
    },
  );
}

const closure = (a, b) => add(a, b);
const updated = wraps(add)((a, b) => add(a, b));
compare(
  'Calling through a wrapper, per call',
  {
    'hand-written closure': (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += closure(i, 1);
      return sum;
    },
    'the same closure after wraps()': (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += updated(i, 1);
      return sum;
    },
  },
  {
    iterations: 10_000_000,
    goals: [
      {
        task: 'the same closure after wraps()',
        vs: 'hand-written closure',
        max: 1.05,
        label: 'a call through a wraps() wrapper / the same closure',
      },
    ],
  },
);
