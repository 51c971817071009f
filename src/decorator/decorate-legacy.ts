/**
 * A `createDecorator` decorator applied as a legacy `experimentalDecorators` member decorator
 * `(target, key, descriptor)`: on a method or an accessor, whose class is known at once.
 * Properties and parameters are refused.
 */

import { DecoratorPositionError, DecoratorUsageError } from '../errors.js';
import type { AnyFunction } from '../identity.js';
import type { DecorationSite } from '../internal/call-site.js';
import { describeArguments, describeValue, ownName } from '../internal/describe.js';
import { ownConstructor } from '../internal/own-data.js';
import { segmentOf } from '../qualname.js';
import { type DecoratorCall, decorate, makeContext, type Position, siteOf } from './decorate.js';
import { localName, memberQualname } from './member-qualname.js';
import { acceptedKinds, checkKind, positionOf } from './position.js';

export function decorateLegacy<Options>(
  call: DecoratorCall<Options>,
  target: object,
  key: string | symbol | undefined,
  descriptor: unknown,
  count: number,
): unknown {
  const { spec } = call;
  const isStatic = typeof target === 'function';
  const owner = isStatic ? target : ownConstructor(target);
  const ownerName = (owner === undefined ? '' : ownName(owner)) || '<anonymous>';
  if (typeof descriptor === 'number') {
    const member =
      key === undefined ? `the constructor of \`${ownerName}\`` : `\`${ownerName}.${String(key)}\``;
    throw new DecoratorPositionError(
      `\`@${spec.name}\` cannot be applied to parameter ${descriptor} of ${member}: it applies to ${acceptedKinds(spec)}`,
    );
  }
  if (key === undefined) {
    throw new DecoratorUsageError(
      `\`${spec.name}\` was called with ${describeArguments([target, key, descriptor].slice(0, count))}, which matches none of its shapes: a legacy member decorator receives a property key`,
    );
  }
  if (count === 2 || descriptor === undefined) {
    throw new DecoratorPositionError(
      `\`@${spec.name}\` cannot be applied to the ${isStatic ? 'static ' : ''}property \`${ownerName}.${String(key)}\`: it applies to ${acceptedKinds(spec)}`,
    );
  }
  if (typeof descriptor !== 'object' || descriptor === null) {
    throw new DecoratorUsageError(
      `\`${spec.name}\` was called as a legacy decorator of \`${ownerName}.${String(key)}\`, but the third argument is ${describeValue(descriptor)}, not a property descriptor`,
    );
  }
  const given = descriptor as PropertyDescriptor;
  const site = siteOf(call, 'value' in given ? [given.value] : [given.get, given.set], true);
  const result: PropertyDescriptor = { ...given };
  const at = { name: key, static: isStatic, private: false, owner, mode: 'legacy' } as const;
  if ('value' in given) {
    if (typeof given.value !== 'function') {
      throw new DecoratorPositionError(
        `\`@${spec.name}\` cannot be applied to the ${isStatic ? 'static ' : ''}property \`${ownerName}.${String(key)}\`, whose value is ${describeValue(given.value)}: it applies to ${acceptedKinds(spec)}`,
      );
    }
    result.value = legacyMember(call, given.value, site, { ...at, kind: 'method' });
    return result;
  }
  if (typeof given.get === 'function') {
    result.get = legacyMember(call, given.get, site, { ...at, kind: 'getter' });
  }
  if (typeof given.set === 'function') {
    result.set = legacyMember(call, given.set, site, { ...at, kind: 'setter' });
  }
  return result;
}

function legacyMember<Options>(
  call: DecoratorCall<Options>,
  fn: AnyFunction,
  site: DecorationSite,
  position: Position,
): AnyFunction {
  const { spec } = call;
  const context = makeContext(call, position);
  const { kind, name, owner } = context;
  const ownerName = owner === undefined ? '' : ownName(owner);
  checkKind(spec, context, () =>
    positionOf(kind, `${ownerName}.${String(name)}`, context.static, false),
  );
  const qualname = memberQualname(segmentOf(ownerName), kind, name);
  return decorate(spec, fn, context, site, localName(site, qualname));
}
