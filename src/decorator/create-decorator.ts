/**
 * `createDecorator`: a decorator written once, as a factory that builds a wrapper, and usable in
 * every shape TypeScript users write: a plain call, a TC39 standard decorator, and a legacy
 * `experimentalDecorators` decorator. selfsame applies {@link updateWrapper} itself, so every
 * wrapper keeps its function's identity and framework metadata, in any decorator order.
 *
 * @packageDocumentation
 */

import { DecoratorUsageError } from '../errors.js';
import type { AnyFunction } from '../identity.js';
import { callerFrames } from '../internal/call-site.js';
import { checkFunction, checkKnownKeys, checkOptions } from '../internal/check.js';
import { describeArguments, describeValue } from '../internal/describe.js';
import { isIdentifier } from '../qualname.js';
import { type DecoratorCall, type DecoratorSpec, mayNeedSite } from './decorate.js';
import { decorateLegacy } from './decorate-legacy.js';
import { decoratePlain } from './decorate-plain.js';
import { decorateStandard, type StandardContext } from './decorate-standard.js';
import type {
  ConfiguredDecorator,
  Decorator,
  DecoratorKind,
  DecoratorSettings,
  WrapperFactory,
} from './types.js';

const KINDS: readonly DecoratorKind[] = ['function', 'class', 'method', 'getter', 'setter'];

/**
 * Creates a decorator from a wrapper factory, usable as a plain call (`dec(fn)`,
 * `dec(options)(fn)`), a TC39 standard decorator (`@dec`, `@dec(options)` on methods, getters,
 * setters and classes) and a legacy `experimentalDecorators` decorator (methods, accessors,
 * classes). Fields, auto-accessors, properties and parameters are refused.
 *
 * Each wrapper gets the qualname `<name>.<locals>.wrapper` (its own name when it has one) as soon
 * as the factory returns it, then {@link updateWrapper} copies the decorated function's name,
 * length, qualname, module, doc, own properties and metadata onto it. Where the function has no
 * qualname or module yet, selfsame records the decoration site: `Class.member` for a member, and
 * the module whose top level applied the decorator (see docs/decorators.md for the exact rules).
 *
 * @param name - the decorator's name: an identifier, used in qualnames and messages
 * @param factory - builds the wrapper of one function, given it and its {@link DecorationContext}
 * @param settings - `options`: checks the user's options; `kinds`: the positions accepted
 * @returns the decorator
 * @throws TypeError when `name` is not an identifier, `factory` is not a function, or `settings`
 *   is malformed, naming the argument and the value received
 * @example
 * ```ts
 * export const logged = createDecorator('logged', (fn, context) =>
 *   function wrapper(this: unknown, ...args: unknown[]) {
 *     console.log(`calling ${String(context.name)}`);
 *     return Reflect.apply(fn, this, args);
 *   },
 * );
 *
 * class Task {
 *   @logged run() {}
 * }
 * export const job = logged(function job() {});
 * ```
 */
export function createDecorator<Options = undefined, Input = Options>(
  name: string,
  factory: WrapperFactory<Options>,
  settings?: DecoratorSettings<Options, Input>,
): Decorator<Input> {
  if (typeof name !== 'string' || !isIdentifier(name)) {
    throw new TypeError(`Expected \`name\` to be an identifier, got ${describeValue(name)}`);
  }
  checkFunction(factory, 'factory');
  const { parse, kinds } = settingsOf(settings);
  const parts: DecoratorParts<Options> = { name, factory, kinds };
  let defaults: { options: Options } | undefined;
  return makeDecorator(
    parts,
    (input) => configured(parts, parse(input as Input | undefined)),
    () => {
      defaults ??= { options: parse(undefined) };
      return defaults.options;
    },
  ) as Decorator<Input>;
}

/** A decorator's parts, before the function users call exists. */
type DecoratorParts<Options> = Omit<DecoratorSpec<Options>, 'entry'>;

/**
 * The function users call, for both the decorator and what `dec(options)` returns: a call with
 * options only goes to `onOptions`; any other decorates, with the options `optionsOf` gives.
 */
function makeDecorator<Options>(
  parts: DecoratorParts<Options>,
  onOptions: (input: unknown, args: unknown[]) => unknown,
  optionsOf: () => Options,
): Function {
  const decorator = function (this: unknown, ...args: unknown[]): unknown {
    if (args.length === 0 || (args.length === 1 && typeof args[0] !== 'function')) {
      return onOptions(args[0], args);
    }
    const options = optionsOf();
    // Read in this very frame, the one the user's code called: V8 walks and summarises every
    // frame between a capture and the function it reads below, each about as dear as a frame
    // kept, and a capture four calls deeper (where the site is used) made a decoration 30% dearer.
    const frames = mayNeedSite(args) ? callerFrames(decorator) : undefined;
    return applyDecorator({ spec, options, frames }, args);
  };
  const spec: DecoratorSpec<Options> = { ...parts, entry: decorator };
  nameFunction(decorator, parts.name);
  return decorator;
}

function settingsOf<Options, Input>(settings: DecoratorSettings<Options, Input> | undefined) {
  const given: unknown = settings;
  checkOptions(given, 'settings');
  if (given !== undefined) checkKnownKeys(given, 'settings', ['options', 'kinds']);
  const parse = settings?.options ?? defaultParse;
  if (settings?.options !== undefined) checkFunction(settings.options, 'settings.options');
  const kinds: unknown = settings?.kinds ?? KINDS;
  if (!Array.isArray(kinds) || kinds.length === 0) {
    throw new TypeError(
      `Expected \`settings.kinds\` to be a non-empty list of ${KINDS.map((k) => `\`${k}\``).join(', ')}, got ${describeValue(kinds)}`,
    );
  }
  kinds.forEach((kind: unknown, index) => {
    if (!KINDS.includes(kind as DecoratorKind)) {
      throw new TypeError(
        `Expected \`settings.kinds[${index}]\` to be one of ${KINDS.map((k) => `\`${k}\``).join(', ')}, got ${describeValue(kind)}`,
      );
    }
  });
  return {
    parse: parse as (input: Input | undefined) => Options,
    kinds: [...kinds] as DecoratorKind[],
  };
}

function defaultParse(input: unknown): unknown {
  checkOptions(input, 'options');
  return input;
}

/** The decorator returned by `dec(options)`: every shape except another options call. */
function configured<Options>(
  parts: DecoratorParts<Options>,
  options: Options,
): ConfiguredDecorator {
  const { name } = parts;
  return makeDecorator(
    parts,
    (_input, args) => {
      throw new DecoratorUsageError(
        `\`${name}(options)\` returns a decorator, which takes a function to decorate, got ${describeArguments(args)}: write \`@${name}(options)\` or \`${name}(options)(fn)\``,
      );
    },
    () => options,
  ) as ConfiguredDecorator;
}

/** Picks the shape from the arguments, as Lit does: a context object means a standard decorator. */
function applyDecorator<Options>(call: DecoratorCall<Options>, args: unknown[]): unknown {
  const { spec } = call;
  const [first, second, third] = args;
  if (args.length === 1) return decoratePlain(call, first as AnyFunction);
  if (args.length === 2 && typeof second === 'object' && second !== null) {
    return decorateStandard(call, first, second as StandardContext);
  }
  if (
    (args.length === 2 || args.length === 3) &&
    (typeof first === 'object' || typeof first === 'function') &&
    first !== null &&
    (typeof second === 'string' || typeof second === 'symbol' || second === undefined)
  ) {
    return decorateLegacy(call, first, second, third, args.length);
  }
  throw new DecoratorUsageError(
    `\`${spec.name}\` was called with ${describeArguments(args)}, which matches none of its shapes: \`${spec.name}(fn)\`, \`${spec.name}(options)\`, a standard decorator \`(value, context)\` or a legacy decorator \`(target, key, descriptor)\``,
  );
}

function nameFunction(fn: Function, name: string): void {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
}
