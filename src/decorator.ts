/**
 * `createDecorator`: a decorator written once, as a factory that builds a wrapper, and usable in
 * every shape TypeScript users write: a plain call, a TC39 standard decorator, and a legacy
 * `experimentalDecorators` decorator. selfsame applies {@link updateWrapper} itself, so every
 * wrapper keeps its function's identity and framework metadata, in any decorator order.
 *
 * @packageDocumentation
 */

import { DecoratorUsageError } from './errors.js';
import type { AnyFunction } from './identity.js';
import { checkFunction, checkKnownKeys, checkOptions } from './internal/check.js';
import type { DecoratorSpec } from './internal/decorate.js';
import { decorateLegacy } from './internal/decorate-legacy.js';
import { decoratePlain } from './internal/decorate-plain.js';
import { decorateStandard, type StandardContext } from './internal/decorate-standard.js';
import { describeArguments, describeValue } from './internal/describe.js';
import { IDENTIFIER } from './internal/member-qualname.js';

/** Any class, abstract or not. */
// biome-ignore lint/suspicious/noExplicitAny: the widest constructor type.
export type AnyClass = abstract new (...args: any) => any;

/** The position a decorator was applied to. */
export type DecoratorKind = 'function' | 'class' | 'method' | 'getter' | 'setter';

/**
 * How a decorator was applied: `plain` for a call such as `dec(fn)` (which a legacy class
 * decorator also is: `@dec class C {}` calls `dec(C)`), `standard` for a TC39 decorator,
 * `legacy` for an `experimentalDecorators` member decorator.
 */
export type DecoratorMode = 'plain' | 'standard' | 'legacy';

/** What a wrapper factory is told about the function it wraps. */
export interface DecorationContext<Options> {
  /** The decorator's own name, as given to {@link createDecorator}. */
  readonly decorator: string;
  /** The position decorated. */
  readonly kind: DecoratorKind;
  /** The member's name (`#name` for a private member), or the function's or class's name. */
  readonly name: string | symbol;
  /** `true` for a static member. */
  readonly static: boolean;
  /** `true` for a private (`#name`) member, which only standard decorators can reach. */
  readonly private: boolean;
  /**
   * The class that owns the member, when known at decoration time: always for a legacy member
   * decorator; never for a standard one (the class does not exist yet) nor a function or class.
   */
  readonly owner: Function | undefined;
  /** How the decorator was applied. */
  readonly mode: DecoratorMode;
  /** The options the decorator was configured with, as returned by `settings.options`. */
  readonly options: Options;
}

/**
 * Builds the wrapper of one function. It returns a new function that calls `fn` (through
 * `Reflect.apply(fn, this, args)`, or `Reflect.construct` for a class), or `fn` itself to leave it
 * undecorated. selfsame copies the identity onto the wrapper afterwards.
 */
export type WrapperFactory<Options> = (
  fn: AnyFunction,
  context: DecorationContext<Options>,
) => AnyFunction;

/** How {@link createDecorator} configures the decorator it returns. */
export interface DecoratorSettings<Options, Input> {
  /**
   * Checks and normalises the user's options, once per `dec(options)` call, before any function
   * is decorated; `input` is `undefined` for `dec(fn)` and `dec()`. Throw a `TypeError` naming
   * the option for a bad one. Default: the options object as given.
   */
  readonly options?: ((input: Input | undefined) => Options) | undefined;
  /** The positions the decorator accepts; others throw a {@link DecoratorPositionError}. Default: all. */
  readonly kinds?: readonly DecoratorKind[] | undefined;
}

/** The standard decorator contexts of the members selfsame decorates. */
export type MemberContext<F extends AnyFunction> =
  | ClassMethodDecoratorContext<never, F>
  // biome-ignore lint/suspicious/noExplicitAny: matches any getter or setter's `this` and value type.
  | ClassGetterDecoratorContext<never, any>
  // biome-ignore lint/suspicious/noExplicitAny: matches any getter or setter's `this` and value type.
  | ClassSetterDecoratorContext<never, any>;

/** The decorator {@link createDecorator} returns, once configured: every shape but `dec(options)`. */
export interface ConfiguredDecorator {
  /** A plain call on a function or class (also what a legacy class decorator is). */
  <F extends AnyFunction | AnyClass>(fn: F): F;
  /** A TC39 standard decorator on a method, getter or setter. */
  <F extends AnyFunction>(value: F, context: MemberContext<F>): F;
  /** A TC39 standard decorator on a class. */
  <C extends AnyClass>(value: C, context: ClassDecoratorContext<C>): C;
  /** A legacy `experimentalDecorators` decorator on a method or accessor. */
  <T>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T>;
}

/**
 * The decorator {@link createDecorator} returns: every shape of {@link ConfiguredDecorator}, and
 * `dec(options)`. The plain call comes first, so that a function is never taken for options.
 */
export interface Decorator<Input> {
  /** A plain call on a function or class (also what a legacy class decorator is). */
  <F extends AnyFunction | AnyClass>(fn: F): F;
  /**
   * Configures the decorator: `@dec(options)`, `dec(options)(fn)`. (The `never` rest parameter
   * keeps TypeScript from accepting a bare `@dec` on a field through this signature.)
   */
  (options?: Input, ...none: never[]): ConfiguredDecorator;
  /** A TC39 standard decorator on a method, getter or setter. */
  <F extends AnyFunction>(value: F, context: MemberContext<F>): F;
  /** A TC39 standard decorator on a class. */
  <C extends AnyClass>(value: C, context: ClassDecoratorContext<C>): C;
  /** A legacy `experimentalDecorators` decorator on a method or accessor. */
  <T>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T>;
}

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
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new TypeError(`Expected \`name\` to be an identifier, got ${describeValue(name)}`);
  }
  checkFunction(factory, 'factory');
  const { parse, kinds } = settingsOf(settings);
  const spec: DecoratorSpec<Options> = { name, factory, kinds };
  let defaults: { options: Options } | undefined;

  const decorator = function (this: unknown, ...args: unknown[]): unknown {
    if (args.length === 0 || (args.length === 1 && typeof args[0] !== 'function')) {
      return configured(spec, parse(args[0] as Input | undefined));
    }
    defaults ??= { options: parse(undefined) };
    return applyDecorator(spec, defaults.options, args);
  };
  nameFunction(decorator, name);
  return decorator as Decorator<Input>;
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
function configured<Options>(spec: DecoratorSpec<Options>, options: Options): ConfiguredDecorator {
  const decorator = function (this: unknown, ...args: unknown[]): unknown {
    if (args.length === 0 || (args.length === 1 && typeof args[0] !== 'function')) {
      throw new DecoratorUsageError(
        `\`${spec.name}(options)\` returns a decorator, which takes a function to decorate, got ${describeArguments(args)}: write \`@${spec.name}(options)\` or \`${spec.name}(options)(fn)\``,
      );
    }
    return applyDecorator(spec, options, args);
  };
  nameFunction(decorator, spec.name);
  return decorator as ConfiguredDecorator;
}

/** Picks the shape from the arguments, as Lit does: a context object means a standard decorator. */
function applyDecorator<Options>(
  spec: DecoratorSpec<Options>,
  options: Options,
  args: unknown[],
): unknown {
  const [first, second, third] = args;
  if (args.length === 1) return decoratePlain(spec, options, first as AnyFunction);
  if (args.length === 2 && typeof second === 'object' && second !== null) {
    return decorateStandard(spec, options, first, second as StandardContext);
  }
  if (
    (args.length === 2 || args.length === 3) &&
    (typeof first === 'object' || typeof first === 'function') &&
    first !== null &&
    (typeof second === 'string' || typeof second === 'symbol' || second === undefined)
  ) {
    return decorateLegacy(spec, options, first, second, third, args.length);
  }
  throw new DecoratorUsageError(
    `\`${spec.name}\` was called with ${describeArguments(args)}, which matches none of its shapes: \`${spec.name}(fn)\`, \`${spec.name}(options)\`, a standard decorator \`(value, context)\` or a legacy decorator \`(target, key, descriptor)\``,
  );
}

function nameFunction(fn: Function, name: string): void {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
}
