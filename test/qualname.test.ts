import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotReferenceableError, ReferenceFormatError } from '../src/errors.js';
import { defineIdentity } from '../src/identity.js';
import {
  isIdentifier,
  isMemberName,
  isQualname,
  MAX_QUALNAME_LENGTH,
  MAX_WALKABLE_LENGTH,
  MAX_WALKABLE_SEGMENTS,
  segmentOf,
  walkableProblem,
} from '../src/qualname.js';
import { fromReference } from '../src/reference/from-reference.js';
import { toReference } from '../src/reference/to-reference.js';

const DIGEST = `sha256:${'0'.repeat(64)}`;
const root = new URL('./', import.meta.url);

// Characters that exercise every class the grammar tells apart.
const nameChar = fc.constantFrom(...'aZ_$09#.<> -é\u0430'.split(''));
const names = fc.string({ unit: nameChar, maxLength: 12 });

describe('segmentOf', () => {
  it.each([
    ['run', 'run'],
    ['#count', '#count'],
    ['get value', 'value'],
    ['bound run', 'run'],
    ['bound get #x', '#x'],
    ['', '<lambda>'],
    ['a.b', '<lambda>'],
    ['[description]', '<lambda>'],
    ['tâche', '<lambda>'],
  ])('makes %j the segment %j', (name, segment) => {
    expect(segmentOf(name)).toBe(segment);
  });

  it('makes a symbol, null and undefined `<lambda>`', () => {
    expect(segmentOf(Symbol('run'))).toBe('<lambda>');
    expect(segmentOf(null)).toBe('<lambda>');
    expect(segmentOf(undefined)).toBe('<lambda>');
  });

  it('always returns a member name or `<lambda>`', () => {
    fc.assert(
      fc.property(names, (name) => {
        const segment = segmentOf(name);
        expect(segment === '<lambda>' || isMemberName(segment)).toBe(true);
      }),
    );
  });
});

describe('isQualname', () => {
  it.each([
    'run',
    'Task.run',
    'Task.#count',
    'outer.<locals>.inner',
    'Task.value.<get>',
    'a'.repeat(MAX_QUALNAME_LENGTH),
  ])('accepts %j', (qualname) => {
    expect(isQualname(qualname)).toBe(true);
  });

  it.each([
    '',
    'a..b',
    '.run',
    'run.',
    'tâche',
    '\u0430dd',
    'run()',
    '<Locals>',
    'a'.repeat(MAX_QUALNAME_LENGTH + 1),
  ])('refuses %j', (qualname) => {
    expect(isQualname(qualname)).toBe(false);
  });

  it('accepts exactly the dotted identifiers, private names and markers within the limit', () => {
    const segment = /^(?:#?[A-Za-z_$][A-Za-z0-9_$]*|<[a-z]+>)$/;
    fc.assert(
      fc.property(names, (qualname) => {
        expect(isQualname(qualname)).toBe(
          qualname.length > 0 && qualname.split('.').every((s) => segment.test(s)),
        );
      }),
    );
  });
});

describe('walkableProblem', () => {
  it('accepts up to 8 segments and 256 characters of ASCII identifiers', () => {
    expect(walkableProblem('Jobs.resize')).toBeUndefined();
    expect(walkableProblem(Array(MAX_WALKABLE_SEGMENTS).fill('a').join('.'))).toBeUndefined();
    expect(walkableProblem('a'.repeat(MAX_WALKABLE_LENGTH))).toBeUndefined();
  });

  it.each([
    ['', 'it is empty'],
    ['a.b.c.d.e.f.g.h.i', 'it has 9 segments, more than the 8 a reference walks'],
    ['a'.repeat(257), 'it is 257 characters long, more than the 256 a reference carries'],
    ['a..b', 'it has an empty segment'],
    [
      'Task.#count',
      'its segment `#count` is not an ASCII identifier, the only kind a reference walks',
    ],
    [
      'outer.<locals>.inner',
      'its segment `<locals>` is not an ASCII identifier, the only kind a reference walks',
    ],
    [
      '\u0430dd',
      'its segment `\\u0430dd` is not an ASCII identifier, the only kind a reference walks',
    ],
  ])('names the rule %j breaks', (qualname, problem) => {
    expect(walkableProblem(qualname)).toBe(problem);
  });

  it('finds a problem exactly when a qualname is not 1 to 8 identifiers in 256 characters', () => {
    fc.assert(
      fc.property(names, (qualname) => {
        const segments = qualname.split('.');
        const walkable =
          qualname.length > 0 &&
          qualname.length <= MAX_WALKABLE_LENGTH &&
          segments.length <= MAX_WALKABLE_SEGMENTS &&
          segments.every((s) => isIdentifier(s));
        expect(walkableProblem(qualname) === undefined).toBe(walkable);
      }),
    );
  });
});

/** The message `toReference` refuses a function with this recorded qualname with. */
async function toReferenceRefusal(qualname: string): Promise<string> {
  const fn = defineIdentity(function fn() {}, { qualname, module: import.meta });
  const error = await toReference(fn, { root }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(NotReferenceableError);
  return (error as Error).message;
}

describe('the qualname rules in references', () => {
  it('toReference names the 8-segment limit for a function nested 9 deep', async () => {
    expect(await toReferenceRefusal('a.b.c.d.e.f.g.h.i')).toBe(
      "Can't serialize a.b.c.d.e.f.g.h.i: it has 9 segments, more than the 8 a reference walks",
    );
  });

  it('toReference names a segment that is not an identifier', async () => {
    expect(await toReferenceRefusal('Task.#run')).toBe(
      "Can't serialize Task.#run: its segment `#run` is not an ASCII identifier, the only kind a reference walks",
    );
  });

  it('toReference names the segment that is never walked', async () => {
    expect(await toReferenceRefusal('Task.prototype.run')).toBe(
      "Can't serialize Task.prototype.run: its segment `prototype` is never walked (a reference walks none of __proto__, prototype, constructor, caller, arguments, then)",
    );
  });

  it('fromReference names the 8-segment limit before any import', async () => {
    const reference = {
      v: 1,
      module: './absent.js',
      qualname: 'a.b.c.d.e.f.g.h.i',
      digest: DIGEST,
    };
    const error = await fromReference(reference, { root }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReferenceFormatError);
    expect((error as Error).message).toBe(
      'Malformed qualname in the reference to `a.b.c.d.e.f.g.h.i` in `./absent.js`: expected at most 8 dot-separated ASCII identifiers, at most 256 characters, got `"a.b.c.d.e.f.g.h.i"` (string): it has 9 segments, more than the 8 a reference walks',
    );
  });
});
