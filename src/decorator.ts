/**
 * `createDecorator`: a decorator written once, as a factory that builds a wrapper, and usable in
 * every shape TypeScript users write: a plain call, a TC39 standard decorator, and a legacy
 * `experimentalDecorators` decorator. selfsame applies {@link updateWrapper} itself, so every
 * wrapper keeps its function's identity and framework metadata, in any decorator order.
 *
 * @packageDocumentation
 */

import { DecoratorPositionError, DecoratorUsageError } from './errors.js';
import type { AnyFunction } from './identity.js';
import { type DecorationSite, decorationSite } from './internal/call-site.js';
import { checkFunction, checkKnownKeys, checkOptions } from './internal/check.js';
import { defineHidden } from './internal/define.js';
import { describeValue, ownName } from './internal/describe.js';
import { MODULE_KEY, QUALNAME_KEY, WRAPPED_KEY } from './internal/keys.js';
import { metadataSymbol } from './internal/metadata.js';
import { updateWrapper } from './wraps.js';

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
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const PRIVATE_NAME = /^#[A-Za-z_$][\w$]*$/;

/**
 * Functions whose qualname selfsame set before their class was known (a standard decorator on an
 * instance member): settled when the class is first constructed. A private side table, since only
 * this copy of selfsame settles them.
 */
const provisional = new WeakSet<Function>();

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
  const spec: Spec<Options> = { name, factory, kinds };
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

/** A decorator's fixed parts. */
interface Spec<Options> {
  readonly name: string;
  readonly factory: WrapperFactory<Options>;
  readonly kinds: readonly DecoratorKind[];
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
function configured<Options>(spec: Spec<Options>, options: Options): ConfiguredDecorator {
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
function applyDecorator<Options>(spec: Spec<Options>, options: Options, args: unknown[]): unknown {
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

function decoratePlain<Options>(spec: Spec<Options>, options: Options, fn: AnyFunction): unknown {
  const kind: DecoratorKind = isClass(fn) ? 'class' : 'function';
  const name = ownName(fn);
  const context = makeContext(spec, options, kind, name, false, false, undefined, 'plain');
  checkKind(spec, context, () => `the ${kind} \`${name || '<anonymous>'}\``);
  const site = decorationSite(false);
  return decorate(spec, fn, context, site, localName(site, segmentOf(name)));
}

/** The part of a standard decorator context read here. */
interface StandardContext {
  readonly kind?: unknown;
  readonly name?: unknown;
  readonly static?: unknown;
  readonly private?: unknown;
  readonly metadata?: unknown;
  readonly addInitializer?: (initializer: (this: unknown) => void) => void;
}

function decorateStandard<Options>(
  spec: Spec<Options>,
  options: Options,
  value: unknown,
  standard: StandardContext,
): unknown {
  const { kind } = standard;
  if (typeof kind !== 'string') {
    throw new DecoratorUsageError(
      `\`${spec.name}\` was called with ${describeArguments([value, standard])}, but the second argument is not a standard decorator context: it has no string \`kind\``,
    );
  }
  const isStatic = standard.static === true;
  const isPrivate = standard.private === true;
  const memberName =
    typeof standard.name === 'string' || typeof standard.name === 'symbol'
      ? standard.name
      : undefined;
  if (kind !== 'method' && kind !== 'getter' && kind !== 'setter' && kind !== 'class') {
    throw new DecoratorPositionError(
      `\`@${spec.name}\` cannot be applied to ${positionOf(kindWord(kind), memberName, isStatic, isPrivate)}: it applies to ${acceptedKinds(spec)}`,
    );
  }
  if (typeof value !== 'function') {
    throw new DecoratorUsageError(
      `\`${spec.name}\` was called as a standard decorator of a ${kind}, but the value decorated is ${describeValue(value)}, not a function`,
    );
  }
  const fn = value as AnyFunction;
  const name = memberName ?? ownName(fn);
  const context = makeContext(
    spec,
    options,
    kind,
    name,
    isStatic,
    isPrivate,
    undefined,
    'standard',
  );
  checkKind(spec, context, () => positionOf(kind, name, isStatic, isPrivate));
  const site = decorationSite(true);
  if (kind === 'class') return decorate(spec, fn, context, site, localName(site, segmentOf(name)));
  const wrapper = decorate(spec, fn, context, site, undefined);
  if (wrapper !== fn && typeof standard.addInitializer === 'function') {
    settleLater(standard, wrapper, context, site);
  }
  return wrapper;
}

function decorateLegacy<Options>(
  spec: Spec<Options>,
  options: Options,
  target: object,
  key: string | symbol | undefined,
  descriptor: unknown,
  count: number,
): unknown {
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
  const site = decorationSite(true);
  const given = descriptor as PropertyDescriptor;
  const result: PropertyDescriptor = { ...given };
  if ('value' in given) {
    if (typeof given.value !== 'function') {
      throw new DecoratorPositionError(
        `\`@${spec.name}\` cannot be applied to the ${isStatic ? 'static ' : ''}property \`${ownerName}.${String(key)}\`, whose value is ${describeValue(given.value)}: it applies to ${acceptedKinds(spec)}`,
      );
    }
    result.value = legacyMember(spec, options, given.value, 'method', key, isStatic, owner, site);
    return result;
  }
  if (typeof given.get === 'function') {
    result.get = legacyMember(spec, options, given.get, 'getter', key, isStatic, owner, site);
  }
  if (typeof given.set === 'function') {
    result.set = legacyMember(spec, options, given.set, 'setter', key, isStatic, owner, site);
  }
  return result;
}

function legacyMember<Options>(
  spec: Spec<Options>,
  options: Options,
  fn: AnyFunction,
  kind: 'method' | 'getter' | 'setter',
  key: string | symbol,
  isStatic: boolean,
  owner: Function | undefined,
  site: DecorationSite,
): AnyFunction {
  const context = makeContext(spec, options, kind, key, isStatic, false, owner, 'legacy');
  const ownerName = owner === undefined ? '' : ownName(owner);
  checkKind(spec, context, () => positionOf(kind, `${ownerName}.${String(key)}`, isStatic, false));
  const qualname = memberQualname(segmentOf(ownerName), kind, key);
  return decorate(spec, fn, context, site, localName(site, qualname));
}

/**
 * Runs the factory and gives its wrapper its identity: first the `<decorator>.<locals>.wrapper`
 * qualname that marks a wrapper nobody updated, then everything {@link updateWrapper} copies,
 * then the decoration site for what the function itself does not carry.
 */
function decorate<Options>(
  spec: Spec<Options>,
  fn: AnyFunction,
  context: DecorationContext<Options>,
  site: DecorationSite,
  qualname: string | undefined,
): AnyFunction {
  const wrapper = spec.factory(fn, context);
  if (typeof wrapper !== 'function') {
    throw new TypeError(
      `Expected the factory of \`${spec.name}\` to return a function, got ${describeValue(wrapper)}`,
    );
  }
  if (wrapper === fn) {
    // Left undecorated (for example `enabled: false`): the function itself is the result, and it
    // learns only what it lacks.
    if (Object.isExtensible(fn)) recordSite(fn, fn, site, qualname);
    return fn;
  }
  if (!hasOwnSlot(wrapper, QUALNAME_KEY)) {
    const own = segmentOf(ownName(wrapper));
    const inner = own === '<lambda>' ? 'wrapper' : own;
    defineHidden(wrapper, QUALNAME_KEY, `${spec.name}.<locals>.${inner}`, 'the qualname');
  }
  if (context.kind === 'class') updateClassWrapper(wrapper, fn);
  else updateWrapper(wrapper, fn);
  if (qualname === undefined) {
    // A standard instance or static member: its class is not known yet (see settleLater).
    recordSite(wrapper, fn, site, segmentOf(context.name));
    if (!hasOwnSlot(fn, QUALNAME_KEY) || provisional.has(fn)) provisional.add(wrapper);
  } else {
    recordSite(wrapper, fn, site, qualname);
  }
  return wrapper;
}

/**
 * A class's wrapper: a subclass inherits the static members, so copying them would only leave
 * stale snapshots beside the live ones (the metadata is still copied); a plain function wrapper
 * gets them copied, and shares the class's prototype so that `instanceof` holds both ways.
 */
function updateClassWrapper(wrapper: Function, fn: Function): void {
  if (Object.getPrototypeOf(wrapper) === fn) {
    updateWrapper(wrapper, fn, { updated: ['metadata'] });
    return;
  }
  updateWrapper(wrapper, fn);
  if (Object.getOwnPropertyDescriptor(wrapper, 'prototype')?.writable === true) {
    wrapper.prototype = fn.prototype;
  }
}

/** Records the qualname and module on `target` unless `wrapped` already carried its own. */
function recordSite(
  target: Function,
  wrapped: Function,
  site: DecorationSite,
  qualname: string | undefined,
): void {
  if (qualname !== undefined && !hasOwnSlot(wrapped, QUALNAME_KEY)) {
    defineHidden(target, QUALNAME_KEY, qualname, 'the qualname');
  }
  if (site.module !== undefined && !hasOwnSlot(wrapped, MODULE_KEY)) {
    defineHidden(target, MODULE_KEY, site.module, 'the module');
  }
}

/**
 * Gives a standard member's wrapper its `Class.member` qualname once the class exists: a static
 * member's initializer runs while the class is defined, an instance member's at the start of the
 * first construction (later constructions only test a flag).
 */
function settleLater<Options>(
  standard: StandardContext,
  wrapper: AnyFunction,
  context: DecorationContext<Options>,
  site: DecorationSite,
): void {
  let settled = false;
  const { metadata } = standard;
  // Called on the context object, in case a runtime's `addInitializer` needs its receiver.
  standard.addInitializer?.(function (this: unknown) {
    if (settled) return;
    const owner = context.static
      ? (this as Function)
      : ownerOfInstance(this, metadata, context.name, wrapper);
    if (owner === undefined) return;
    settled = true;
    const qualname = memberQualname(segmentOf(ownName(owner)), context.kind, context.name);
    settleQualname(wrapper, localName(site, qualname));
  });
}

/** Replaces the provisional qualname down the chain of wrappers this copy of selfsame built. */
function settleQualname(wrapper: Function, qualname: string): void {
  let current: Function | undefined = wrapper;
  while (current !== undefined && provisional.has(current)) {
    provisional.delete(current);
    // Runs inside the user's constructor: a wrapper frozen since keeps its provisional name
    // rather than failing the construction.
    const slot = { value: qualname, writable: false, enumerable: false, configurable: true };
    if (!Reflect.defineProperty(current, QUALNAME_KEY, slot)) return;
    const link: unknown = Object.getOwnPropertyDescriptor(current, WRAPPED_KEY)?.value;
    current = typeof link === 'function' ? link : undefined;
  }
}

/**
 * The class that defined a standard instance member, found from an instance: the class on the
 * prototype chain that owns the decorators' metadata object; failing that (no `Symbol.metadata`,
 * or a class decorator that replaced the class and took the metadata with it), the class whose
 * prototype holds the wrapper, or, for a private member, the instance's class when it has no
 * other class above it.
 */
function ownerOfInstance(
  instance: unknown,
  metadata: unknown,
  name: string | symbol,
  wrapper: Function,
): Function | undefined {
  if (typeof instance !== 'object' || instance === null) return undefined;
  const first: object | null = Object.getPrototypeOf(instance);
  const symbol = metadataSymbol();
  if (metadata !== undefined && symbol !== undefined) {
    for (let proto = first; proto !== null; proto = Object.getPrototypeOf(proto)) {
      const owner = ownConstructor(proto);
      if (
        owner !== undefined &&
        Object.getOwnPropertyDescriptor(owner, symbol)?.value === metadata
      ) {
        return owner;
      }
    }
  }
  for (let proto = first; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const member = Object.getOwnPropertyDescriptor(proto, name);
    if (member?.value === wrapper || member?.get === wrapper || member?.set === wrapper) {
      return ownConstructor(proto);
    }
  }
  if (first !== null && Object.getPrototypeOf(first) === Object.prototype) {
    return ownConstructor(first);
  }
  return undefined;
}

/** A prototype's own `constructor` when it is a data property holding a function. */
function ownConstructor(proto: object): Function | undefined {
  const value = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  return typeof value === 'function' ? value : undefined;
}

/** `Class.member`, `Class.#member`, `Class.member.<get>` or `Class.member.<set>`. */
function memberQualname(owner: string, kind: DecoratorKind, key: string | symbol): string {
  const member =
    typeof key === 'symbol'
      ? '<symbol>'
      : IDENTIFIER.test(key) || PRIVATE_NAME.test(key)
        ? key
        : '<computed>';
  const suffix = kind === 'getter' ? '.<get>' : kind === 'setter' ? '.<set>' : '';
  return `${owner}.${member}${suffix}`;
}

/** Prefixes `<enclosing>.<locals>.` when the decoration ran inside a function body. */
function localName(site: DecorationSite, qualname: string): string {
  return site.enclosing === undefined ? qualname : `${site.enclosing}.<locals>.${qualname}`;
}

/**
 * A name as one qualname segment: itself when it is an identifier; for names V8 composes such as
 * `get value` or `bound run`, the last identifier; `<lambda>` when there is none.
 */
function segmentOf(name: string | symbol): string {
  if (typeof name !== 'string') return '<lambda>';
  if (IDENTIFIER.test(name) || PRIVATE_NAME.test(name)) return name;
  const last = name.split(' ').pop() ?? '';
  return IDENTIFIER.test(last) || PRIVATE_NAME.test(last) ? last : '<lambda>';
}

function makeContext<Options>(
  spec: Spec<Options>,
  options: Options,
  kind: DecoratorKind,
  name: string | symbol,
  isStatic: boolean,
  isPrivate: boolean,
  owner: Function | undefined,
  mode: DecoratorMode,
): DecorationContext<Options> {
  return Object.freeze({
    decorator: spec.name,
    kind,
    name,
    static: isStatic,
    private: isPrivate,
    owner,
    mode,
    options,
  });
}

function checkKind<Options>(
  spec: Spec<Options>,
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
function positionOf(
  kind: string,
  name: string | symbol | undefined,
  isStatic: boolean,
  isPrivate: boolean,
): string {
  const named = name === undefined ? '' : ` \`${String(name)}\``;
  return `the ${isStatic ? 'static ' : ''}${isPrivate ? 'private ' : ''}${kind}${named}`;
}

function kindWord(kind: string): string {
  return kind === 'accessor' ? 'auto-accessor' : kind;
}

function acceptedKinds<Options>(spec: Spec<Options>): string {
  const words = spec.kinds.map((kind) => `${kind === 'class' ? 'classe' : kind}s`);
  return words.length === 1
    ? (words[0] as string)
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function describeArguments(args: readonly unknown[]): string {
  return args.length === 0 ? 'no arguments' : args.map((arg) => describeValue(arg)).join(', ');
}

function hasOwnSlot(fn: Function, key: symbol): boolean {
  return Object.getOwnPropertyDescriptor(fn, key) !== undefined;
}

function isClass(fn: Function): boolean {
  // Source text is data: reading it runs no user code, and only `class` syntax starts this way.
  return Function.prototype.toString.call(fn).startsWith('class');
}

function nameFunction(fn: Function, name: string): void {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
}
