/**
 * The public types of `createDecorator`: the shapes of a decorator, its context and its
 * settings. A leaf: it imports only types.
 */

import type { AnyFunction } from '../identity.js';

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
