/**
 * A `createDecorator` decorator called on a function or a class: `dec(fn)`, which a legacy class
 * decorator also is (`@dec class C {}` calls `dec(C)`).
 */

import type { AnyFunction } from '../identity.js';
import { ownName } from '../internal/describe.js';
import { segmentOf } from '../qualname.js';
import { type DecoratorCall, decorate, makeContext, siteOfFirstArgument } from './decorate.js';
import { localName } from './member-qualname.js';
import { checkKind } from './position.js';
import type { DecoratorKind } from './types.js';

export function decoratePlain<Options>(call: DecoratorCall<Options>, fn: AnyFunction): unknown {
  const { spec } = call;
  const kind: DecoratorKind = isClass(fn) ? 'class' : 'function';
  const name = ownName(fn);
  const context = makeContext(call, {
    kind,
    name,
    static: false,
    private: false,
    owner: undefined,
    mode: 'plain',
  });
  checkKind(spec, context, () => `the ${kind} \`${name || '<anonymous>'}\``);
  const site = siteOfFirstArgument(call, false);
  return decorate(spec, fn, context, site, localName(site, segmentOf(name)));
}

function isClass(fn: Function): boolean {
  // Source text is data: reading it runs no user code, and only `class` syntax starts this way.
  return Function.prototype.toString.call(fn).startsWith('class');
}
