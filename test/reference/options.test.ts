// Every option-validation message of toReference and fromReference (options come from the
// caller, so mistakes are TypeErrors; only the reference itself is untrusted data).
import { describe, expect, it } from 'vitest';
import { fromReference } from '../../src/reference/from-reference.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, root } from './fixtures.js';

const cases: [string, unknown, string][] = [
  ['options', 42, 'Expected `options` to be an object, got `42` (number)'],
  ['options', [], 'Expected `options` to be an object, got an array of length 0'],
  [
    'an unknown option',
    { roots: '.' },
    'Unknown option `options.roots`; expected one of `root`, `packages`, `key`, `verifyIntegrity`',
  ],
  [
    'root',
    { root: 42 },
    'Expected `options.root` to be a directory path or a file: URL, got `42` (number)',
  ],
  [
    'root',
    { root: new URL('https://example.com/') },
    'Expected `options.root` to be a file: URL, got `https://example.com/`',
  ],
  [
    'root',
    { root: '/no/such/directory' },
    'Expected `options.root` to be an existing directory, got `/no/such/directory`',
  ],
  [
    'packages',
    { packages: 'selfsame' },
    'Expected `options.packages` to be an array of package names, got `"selfsame"` (string)',
  ],
  [
    'packages',
    { packages: ['selfsame', 'node:fs'] },
    'Expected `options.packages[1]` to be a package name such as `lodash-es` or `@scope/name`, got `"node:fs"` (string)',
  ],
  [
    'packages',
    { packages: ['__proto__'] },
    'Expected `options.packages[0]` to be a package name such as `lodash-es` or `@scope/name`, got `"__proto__"` (string)',
  ],
  [
    'key',
    { key: new Uint8Array(0) },
    'Expected `options.key` to be a non-empty string or Uint8Array, got an object',
  ],
  [
    'verifyIntegrity',
    { verifyIntegrity: 'no' },
    'Expected `options.verifyIntegrity` to be a boolean, got `"no"` (string)',
  ],
];

describe('options', () => {
  for (const [what, given, message] of cases) {
    it(`rejects a malformed ${what} in toReference and fromReference alike`, async () => {
      const { add } = await fixture('tasks.js');
      const reference = await toReference(add, options);
      await expect(toReference(add, given as never)).rejects.toThrow(new TypeError(message));
      await expect(fromReference(reference, given as never)).rejects.toThrow(
        new TypeError(message),
      );
    });
  }

  it('rejects a root that is a file', async () => {
    const file = new URL('tasks.js', root);
    const { add } = await fixture('tasks.js');
    await expect(toReference(add, { root: file })).rejects.toThrow(
      new TypeError(
        `Expected \`options.root\` to be a directory, got the file \`${file.pathname}\``,
      ),
    );
  });

  it('takes the root as a path, a file: URL or a file: URL string', async () => {
    const { add } = await fixture('tasks.js');
    for (const given of [root, root.href, root.pathname]) {
      expect((await toReference(add, { root: given })).module).toBe('./tasks.js');
    }
  });

  it('checks a reused options object again when one of its values changes', async () => {
    const { add } = await fixture('tasks.js');
    const reused: { root: URL; verifyIntegrity?: unknown } = { root };
    await toReference(add, reused as never);
    reused.verifyIntegrity = 'no';
    await expect(toReference(add, reused as never)).rejects.toThrow(
      new TypeError('Expected `options.verifyIntegrity` to be a boolean, got `"no"` (string)'),
    );
  });
});
