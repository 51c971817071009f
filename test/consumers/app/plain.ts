// The plain-call half of the consumer: no decorator syntax, so it also runs under Node's type
// stripping, which parses TypeScript types but not decorators.
import { createDecorator, trackExecutionTime, wraps } from 'selfsame';

export const rawAdd = function add(a: number, b: number): number {
  return a + b;
};

/** `wraps` by hand: the wrapper keeps `add`'s name and length. */
export const add = wraps(rawAdd)(function (this: unknown, ...args: [number, number]) {
  return Reflect.apply(rawAdd, this, args);
});

/** A decorator written with `createDecorator`: appends `!` to a string result. */
export const loud = createDecorator(
  'loud',
  (fn) =>
    function (this: unknown, ...args: unknown[]): unknown {
      return `${String(Reflect.apply(fn, this, args)).toUpperCase()}!`;
    },
);

/** A plain-call decorated function (the form TC39 decorators cannot write). */
export const countWords = trackExecutionTime({ logger: false })(function countWords(
  text: string,
): number {
  return text.split(/\s+/).filter(Boolean).length;
});

/** A function decorated by the custom decorator. */
export const shout = loud(function shout(text: string): string {
  return text;
});
