/**
 * The qualname grammar, in one place. A qualname is the dotted path of a function from its
 * module's top level, as Python's `__qualname__` (`Task.run`, `outer.<locals>.inner`); a
 * walkable qualname is the narrower kind a reference may carry, because a worker walks it from
 * the module namespace, one own property per segment.
 *
 * Two rules, with two limits, on purpose. A qualname is recorded by the program about its own
 * functions (`defineIdentity`, the decorators), so it may hold private names and `<locals>`
 * markers and runs up to {@link MAX_QUALNAME_LENGTH} characters. A walkable qualname arrives as
 * untrusted input and is checked before any import: only ASCII identifiers, at most
 * {@link MAX_WALKABLE_SEGMENTS} segments and {@link MAX_WALKABLE_LENGTH} characters, which is
 * room for any export path a module really has and bounds what one reference can make a
 * worker do. Every name is ASCII, so that a look-alike letter cannot pass for another.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const PRIVATE_NAME = /^#[A-Za-z_$][\w$]*$/;
const MARKER = /^<[a-z]+>$/;

/** The longest qualname `defineIdentity` records. */
export const MAX_QUALNAME_LENGTH = 1024;
/** The longest qualname a reference carries. */
export const MAX_WALKABLE_LENGTH = 256;
/** The most segments a reference walks. */
export const MAX_WALKABLE_SEGMENTS = 8;

/** Whether `name` is an ASCII identifier (`run`, `$x`, `_1`). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Whether `name` names a class member in a qualname: an ASCII identifier or private name. */
export function isMemberName(name: string): boolean {
  return IDENTIFIER.test(name) || PRIVATE_NAME.test(name);
}

/**
 * A name as one qualname segment: itself when it is an identifier or a private name; for the
 * names V8 composes such as `get value` or `bound run`, the last word; `<lambda>` when there is
 * none, or for a symbol.
 */
export function segmentOf(name: string | symbol | null | undefined): string {
  if (typeof name !== 'string') return '<lambda>';
  if (isMemberName(name)) return name;
  const last = name.slice(name.lastIndexOf(' ') + 1);
  return isMemberName(last) ? last : '<lambda>';
}

/**
 * Whether `value` is a qualname: 1 to {@link MAX_QUALNAME_LENGTH} characters of dot-separated
 * identifiers, private names and `<marker>`s.
 */
export function isQualname(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= MAX_QUALNAME_LENGTH &&
    value.split('.').every((segment) => isMemberName(segment) || MARKER.test(segment))
  );
}

/**
 * Which rule of a walkable qualname `qualname` breaks, worded to end a sentence (`it has 9
 * segments, more than the 8 a reference walks`); `undefined` when it is walkable.
 */
export function walkableProblem(qualname: string): string | undefined {
  if (qualname.length === 0) return 'it is empty';
  if (qualname.length > MAX_WALKABLE_LENGTH) {
    return `it is ${qualname.length} characters long, more than the ${MAX_WALKABLE_LENGTH} a reference carries`;
  }
  const segments = qualname.split('.');
  if (segments.length > MAX_WALKABLE_SEGMENTS) {
    return `it has ${segments.length} segments, more than the ${MAX_WALKABLE_SEGMENTS} a reference walks`;
  }
  const bad = segments.find((segment) => !IDENTIFIER.test(segment));
  if (bad !== undefined) {
    return bad === ''
      ? 'it has an empty segment'
      : `its segment \`${bad.replace(/[^ -~]/g, escaped)}\` is not an ASCII identifier, the only kind a reference walks`;
  }
  return undefined;
}

function escaped(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
