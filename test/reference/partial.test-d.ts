import { expectTypeOf, it } from 'vitest';
import { partial } from '../../src/index.js';

function scale(factor: number, value: number, unit: string): string {
  return `${factor * value} ${unit}`;
}

it('types partial: the bound parameters are removed from the front', () => {
  expectTypeOf(partial(scale, 2)).toEqualTypeOf<(value: number, unit: string) => string>();
  expectTypeOf(partial(scale, 2, 3)).toEqualTypeOf<(unit: string) => string>();
  expectTypeOf(partial(scale)).toEqualTypeOf<
    (factor: number, value: number, unit: string) => string
  >();
  // @ts-expect-error: a bound argument of the wrong type
  partial(scale, 'two');
});
