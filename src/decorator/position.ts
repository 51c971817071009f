/**
 * Checks that a `createDecorator` decorator is applied where it accepts to be, and words the
 * positions for its {@link DecoratorPositionError} messages.
 */

import { DecoratorPositionError } from '../errors.js';
import type { DecoratorSpec } from './decorate.js';
import type { DecorationContext } from './types.js';

export function checkKind<Options>(
  spec: DecoratorSpec<Options>,
  context: DecorationContext<Options>,
  position: () => string,
): void {
  if (!spec.kinds.includes(context.kind)) {
    throw new DecoratorPositionError(
      `\`@${spec.name}\` cannot be applied to ${position()}: it applies to ${acceptedKinds(spec)}`,
    );
  }
}

/** "the static method `run`", "the private getter `#value`", "the field `total`". */
export function positionOf(
  kind: string,
  name: string | symbol | undefined,
  isStatic: boolean,
  isPrivate: boolean,
): string {
  const named = name === undefined ? '' : ` \`${String(name)}\``;
  return `the ${isStatic ? 'static ' : ''}${isPrivate ? 'private ' : ''}${kind}${named}`;
}

export function kindWord(kind: string): string {
  return kind === 'accessor' ? 'auto-accessor' : kind;
}

export function acceptedKinds<Options>(spec: DecoratorSpec<Options>): string {
  const words = spec.kinds.map((kind) => `${kind === 'class' ? 'classe' : kind}s`);
  return words.length === 1
    ? (words[0] as string)
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
