// Every category of docs/security.md, each refused with nothing executed: no module evaluated that
// was not allowed, no getter or Proxy trap run, no `then` called, no global written, and
// `Object.prototype` untouched.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IntegrityError,
  ReferenceFormatError,
  ReferenceIdentityError,
  ReferencePolicyError,
  ReferenceResolveError,
  SelfsameError,
  SignatureError,
} from '../../src/errors.js';
import { digestOf } from '../../src/reference/digest.js';
import { fromReference } from '../../src/reference/from-reference.js';
import { loadNamespace } from '../../src/reference/load-module.js';
import { toReference } from '../../src/reference/to-reference.js';
import { fixture, options, root, type Tripwires, tripwires } from './fixtures.js';

type Sentinel = { __selfsamePwned?: unknown };

let wires: Tripwires;
let digest: string;
const prototypeBefore = Object.getOwnPropertyDescriptors(Object.prototype);
const functionPrototypeBefore = Object.getOwnPropertyDescriptors(Function.prototype);

beforeAll(async () => {
  wires = await tripwires();
  digest = (await toReference((await fixture('tasks.js')).add, options)).digest;
});

afterEach(() => {
  expect((globalThis as Sentinel).__selfsamePwned).toBeUndefined();
  expect(wires.getters).toBe(0);
  expect(wires.traps).toBe(0);
  expect(wires.thens).toBe(0);
  expect(wires.inits['evil.js']).toBeUndefined();
  expect(wires.inits['tasks.js']).toBe(1);
  expect(Object.getOwnPropertyDescriptors(Object.prototype)).toEqual(prototypeBefore);
  expect(Object.getOwnPropertyDescriptors(Function.prototype)).toEqual(functionPrototypeBefore);
});

/** A well-formed reference into tasks.js, with some fields replaced. */
function ref(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: 1, module: './tasks.js', qualname: 'add', digest, ...fields };
}

async function refusal(reference: unknown, opts: object = options): Promise<SelfsameError> {
  const error = await fromReference(reference, opts).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SelfsameError);
  return error as SelfsameError;
}

async function expectRefusal(
  reference: unknown,
  kind: new (...args: never[]) => SelfsameError,
  message: string,
  opts: object = options,
): Promise<void> {
  const error = await refusal(reference, opts);
  expect(error).toBeInstanceOf(kind);
  expect(error.message).toBe(message);
}

const where = (module: string, qualname = 'add') =>
  `the reference to \`${qualname}\` in \`${module}\``;
const NOT_A_PATH_OR_PACKAGE =
  'a module id must be a `./`-relative path under the root or a package specifier (no absolute paths, URLs, `data:`, `node:`, `..`, queries or fragments)';
const PLAIN_SEGMENTS =
  'a module path may hold only plain segments of ASCII letters, digits and `_@+~.-` (no spaces, `..`, `.`, empty segments, `%`, `?`, `#`, `:` or `\\`)';

describe('fromReference refuses forbidden and inherited segments', () => {
  for (const segment of ['__proto__', 'prototype', 'constructor', 'caller', 'arguments', 'then']) {
    it(`refuses \`${segment}\` anywhere in the qualname, before importing`, async () => {
      for (const qualname of [segment, `add.${segment}`, `Jobs.${segment}.crop`]) {
        await expectRefusal(
          ref({ qualname }),
          ReferencePolicyError,
          `Refused ${where('./tasks.js', qualname)}: the segment \`${segment}\` is never walked`,
        );
      }
    });
  }

  it('walks own properties only: inherited `call`, `bind`, `toString`, `hasOwnProperty` are missing', async () => {
    for (const qualname of [
      'add.call',
      'add.bind',
      'add.toString',
      'utils.hasOwnProperty',
      'toString',
    ]) {
      await expectRefusal(
        ref({ qualname }),
        ReferenceResolveError,
        `Cannot resolve ${where('./tasks.js', qualname)}: \`${qualname}\` is not an own property`,
      );
    }
  });

  it('refuses an own data property that is not a function', async () => {
    for (const qualname of ['notAFunction', 'add.name', 'add.length', 'utils']) {
      await expectRefusal(
        ref({ qualname }),
        ReferenceIdentityError,
        `Refused ${where('./tasks.js', qualname)}: the name holds no function`,
      );
    }
  });

  it('refuses a step through a primitive', async () => {
    await expectRefusal(
      ref({ qualname: 'notAFunction.toFixed' }),
      ReferenceResolveError,
      `Cannot resolve ${where('./tasks.js', 'notAFunction.toFixed')}: \`notAFunction.toFixed\` is looked up on a primitive value`,
    );
  });
});

describe('fromReference runs no getter and no Proxy trap', () => {
  it('refuses a getter on the path without calling it', async () => {
    await expectRefusal(
      ref({ qualname: 'withGetter.add' }),
      ReferenceResolveError,
      `Cannot resolve ${where('./tasks.js', 'withGetter.add')}: \`withGetter.add\` is an accessor (getters are never run)`,
    );
  });

  it('refuses a Proxy on the path without triggering a trap', async () => {
    await expectRefusal(
      ref({ qualname: 'proxied.add' }),
      ReferenceResolveError,
      `Cannot resolve ${where('./tasks.js', 'proxied.add')}: \`proxied.add\` is reached through a Proxy (its traps are never run)`,
    );
  });

  it('refuses a Proxy as the function found', async () => {
    await expectRefusal(
      ref({ qualname: 'proxiedFunction' }),
      ReferenceResolveError,
      `Cannot resolve ${where('./tasks.js', 'proxiedFunction')}: \`proxiedFunction\` is reached through a Proxy (its traps are never run)`,
    );
  });

  it('refuses a reference object with a getter or a Proxy, without running either', async () => {
    const withGetter = ref();
    Object.defineProperty(withGetter, 'module', {
      get() {
        wires.getters += 1;
        return './tasks.js';
      },
      enumerable: true,
    });
    const error = await refusal(withGetter);
    expect(error).toBeInstanceOf(ReferenceFormatError);
    expect(error.message).toBe(
      'Expected `module` of a function reference to be a data property, got an accessor',
    );
    const trapped = new Proxy(ref(), {
      ownKeys(target) {
        wires.traps += 1;
        return Reflect.ownKeys(target);
      },
      get(target, key) {
        wires.traps += 1;
        return Reflect.get(target, key);
      },
    });
    await expectRefusal(
      trapped,
      ReferenceFormatError,
      'Refused a function reference that is a Proxy',
    );
  });
});

describe('Proxies where the guards look run no trap', () => {
  const FAKE = `sha256:${'0'.repeat(64)}`;

  it('refuses any Proxy as the reference object: plain, array, function, revoked', async () => {
    const revocable = Proxy.revocable(ref(), {});
    revocable.revoke();
    const counting: ProxyHandler<object> = {
      get: () => (wires.traps += 1),
      ownKeys: () => {
        wires.traps += 1;
        return [];
      },
    };
    for (const value of [
      new Proxy([], counting),
      new Proxy(() => 1, counting),
      new Proxy(ref(), counting),
      revocable.proxy,
    ]) {
      await expectRefusal(
        value,
        ReferenceFormatError,
        'Refused a function reference that is a Proxy',
      );
    }
  });

  const hidden: [string, string, string, string][] = [
    [
      'a function whose prototype chain holds a Proxy (the `then` guard)',
      'protoProxied',
      "Can't serialize protoProxied: it has a Proxy in its prototype chain, whose traps `fromReference` settling its promise with it would run",
      'the function found has a Proxy in its prototype chain, whose traps settling a promise with it would run',
    ],
    [
      'a function that wraps a Proxy, without reading the Proxy for the digest',
      'wrapsProxy',
      "Can't serialize wrapsProxy: it wraps a Proxy, whose traps are never run, so its digest cannot be computed; wrap the function itself",
      'the function found wraps a Proxy, whose traps are never run, so its digest cannot be computed',
    ],
  ];
  for (const [title, qualname, toMessage, fromMessage] of hidden) {
    it(`refuses ${title}, in both directions`, async () => {
      const fn = (await fixture('proxies.js'))[qualname];
      await expect(toReference(fn, options)).rejects.toMatchObject({
        code: 'ERR_SELFSAME_NOT_REFERENCEABLE',
        message: toMessage,
      });
      await expectRefusal(
        ref({ module: './proxies.js', qualname, digest: FAKE }),
        ReferenceIdentityError,
        `Refused ${where('./proxies.js', qualname)}: ${fromMessage}`,
      );
    });
  }

  it('refuses a Proxy given to toReference', async () => {
    const { add } = await fixture('tasks.js');
    const counting: ProxyHandler<Function> = {
      getOwnPropertyDescriptor: () => {
        wires.traps += 1;
        return undefined;
      },
      get: () => (wires.traps += 1),
    };
    await expect(toReference(new Proxy(add, counting), options)).rejects.toMatchObject({
      code: 'ERR_SELFSAME_NOT_REFERENCEABLE',
      message:
        "Can't serialize a Proxy: its traps are never run; reference the function it stands for",
    });
  });
});

describe('fromReference imports only allowlisted modules', () => {
  const cases: [string, string, string][] = [
    ['a data: URL', 'data:text/javascript,globalThis.__selfsamePwned=1', NOT_A_PATH_OR_PACKAGE],
    ['a node: builtin', 'node:child_process', NOT_A_PATH_OR_PACKAGE],
    ['an http: URL', 'http://example.com/x.js', NOT_A_PATH_OR_PACKAGE],
    ['a file: URL', 'file:///etc/hostname', NOT_A_PATH_OR_PACKAGE],
    ['an absolute path', '/etc/hostname', NOT_A_PATH_OR_PACKAGE],
    ['a Windows path', 'C:\\evil.js', NOT_A_PATH_OR_PACKAGE],
    ['a parent escape', '../reference-outside/evil.js', NOT_A_PATH_OR_PACKAGE],
    ['an escape inside the path', './x/../../reference-outside/evil.js', PLAIN_SEGMENTS],
    ['an encoded escape', './%2e%2e/reference-outside/evil.js', PLAIN_SEGMENTS],
    ['a backslash escape', '.\\..\\reference-outside\\evil.js', NOT_A_PATH_OR_PACKAGE],
    ['a query string', './tasks.js?v=2', PLAIN_SEGMENTS],
    ['a fragment', './tasks.js#x', PLAIN_SEGMENTS],
    ['an empty segment', './/tasks.js', PLAIN_SEGMENTS],
    ['an extensionless file', './plain', 'a module file must end with .js, .mjs, .cjs'],
    ['a JSON file', './data.json', 'a module file must end with .js, .mjs, .cjs'],
  ];
  for (const [title, module, reason] of cases) {
    it(`refuses ${title}`, async () => {
      await expectRefusal(
        ref({ module }),
        ReferencePolicyError,
        `Refused ${where(module)}: ${reason}`,
      );
    });
  }

  it('refuses builtins and packages not listed by name, registry keys included', async () => {
    const unlisted = (name: string) =>
      `the package \`${name}\` is not listed in \`options.packages\``;
    const cases: [string, string][] = [
      ['child_process', unlisted('child_process')],
      ['fs', unlisted('fs')],
      ['fast-check', unlisted('fast-check')],
      ['@scope/pkg/sub.js', unlisted('@scope/pkg')],
      ['constructor', unlisted('constructor')],
      ['__proto__', NOT_A_PATH_OR_PACKAGE],
      ['hasOwnProperty', NOT_A_PATH_OR_PACKAGE],
      ['toString', NOT_A_PATH_OR_PACKAGE],
    ];
    for (const [module, reason] of cases) {
      await expectRefusal(
        ref({ module }),
        ReferencePolicyError,
        `Refused ${where(module)}: ${reason}`,
      );
      await expectRefusal(
        ref({ module }),
        ReferencePolicyError,
        `Refused ${where(module)}: ${reason}`,
        {
          ...options,
          packages: ['selfsame'],
        },
      );
    }
  });

  it('refuses a listed name that resolves to a builtin', async () => {
    await expectRefusal(
      ref({ module: 'fs', qualname: 'readFileSync' }),
      ReferencePolicyError,
      `Refused ${where('fs', 'readFileSync')}: the specifier resolves to \`node:fs\`, not to a file`,
      { ...options, packages: ['fs'] },
    );
  });

  it('refuses a symlink that leads out of the root, without evaluating its target', async () => {
    const base = mkdtempSync(join(tmpdir(), 'selfsame-symlink-'));
    mkdirSync(join(base, 'root'));
    symlinkSync(
      fileURLToPath(new URL('../reference-outside/evil.js', root)),
      join(base, 'root', 'link.js'),
    );
    await expectRefusal(
      ref({ module: './link.js', qualname: 'pwn' }),
      ReferencePolicyError,
      `Refused ${where('./link.js', 'pwn')}: the module resolves to a file outside the root \`${base}/root\` (a symlink); set \`options.root\` to a directory that holds the file itself`,
      { root: join(base, 'root') },
    );
  });

  it('refuses a symlink to a file without a module extension', async () => {
    const base = mkdtempSync(join(tmpdir(), 'selfsame-symlink-'));
    writeFileSync(join(base, 'hostname'), "globalThis.__selfsamePwned = 'hostname';\n");
    symlinkSync(join(base, 'hostname'), join(base, 'host.js'));
    await expectRefusal(
      ref({ module: './host.js' }),
      ReferencePolicyError,
      `Refused ${where('./host.js')}: a module file must end with .js, .mjs, .cjs`,
      { root: base },
    );
  });

  it('reports a module that does not exist, after policy', async () => {
    const error = await refusal(ref({ module: './missing.js' }));
    expect(error).toBeInstanceOf(ReferenceResolveError);
    expect(error.message).toBe(
      `Cannot resolve ${where('./missing.js')}: the module file does not exist`,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('fromReference refuses malformed references', () => {
  const SHAPE = 'Expected a function reference object ({ v, module, qualname, digest }), got';
  it('refuses values that are not reference objects', async () => {
    const cases: [unknown, string][] = [
      [null, `${SHAPE} \`null\``],
      [undefined, `${SHAPE} \`undefined\``],
      [42, `${SHAPE} \`42\` (number)`],
      ['{"v":1}', `${SHAPE} \`"{\\"v\\":1}"\` (string)`],
      [[1, './tasks.js', 'add'], `${SHAPE} an array of length 3`],
      [() => 1, `${SHAPE} an anonymous function`],
    ];
    for (const [value, message] of cases) await expectRefusal(value, ReferenceFormatError, message);
  });

  it('refuses objects that are not plain', async () => {
    await expectRefusal(
      Object.assign(new (class Reference {})(), ref()),
      ReferenceFormatError,
      'Expected a function reference to be a plain object (as JSON.parse or structuredClone make)',
    );
    await expectRefusal(
      Object.create(ref()),
      ReferenceFormatError,
      'Expected a function reference to be a plain object (as JSON.parse or structuredClone make)',
    );
    const nullPrototype = Object.assign(Object.create(null), ref());
    expect(await fromReference(nullPrototype, options)).toBe((await fixture('tasks.js')).add);
  });

  it('refuses extra keys, an own `__proto__` from JSON included', async () => {
    await expectRefusal(
      ref({ extra: 1 }),
      ReferenceFormatError,
      'Unexpected key `"extra"` in a function reference; expected only `v`, `module`, `qualname`, `digest`, `signature`, `args`',
    );
    const parsed = JSON.parse(
      `{"__proto__": {"polluted": true}, "v": 1, "module": "./tasks.js", "qualname": "add", "digest": "${digest}"}`,
    );
    await expectRefusal(
      parsed,
      ReferenceFormatError,
      'Unexpected key `"__proto__"` in a function reference; expected only `v`, `module`, `qualname`, `digest`, `signature`, `args`',
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    // Symbol keys are never read (JSON and structured clone cannot carry them): ignored.
    const symbolKeyed = { ...ref(), [Symbol('x')]: 1 };
    expect(await fromReference(symbolKeyed, options)).toBe((await fixture('tasks.js')).add);
  });

  it('refuses other versions', async () => {
    for (const v of [0, 2, '1', 1.5]) {
      const error = await refusal(ref({ v }));
      expect(error).toBeInstanceOf(ReferenceFormatError);
      expect(error.message).toMatch(
        /^Unsupported version in the reference to `add` in `\.\/tasks\.js`: expected `v: 1`, got /,
      );
    }
  });

  it('refuses qualnames that are not plain ASCII identifiers', async () => {
    for (const qualname of [
      '',
      'a..b',
      '.add',
      'add.',
      'аdd',
      'ad d',
      '#private',
      'outer.<locals>.inner',
      'x'.repeat(257),
      'a.b.c.d.e.f.g.h.i',
      42,
    ]) {
      const error = await refusal(ref({ qualname }));
      expect(error).toBeInstanceOf(ReferenceFormatError);
      expect(error.message).toMatch(
        /Malformed qualname in the reference to `.*` in `\.\/tasks\.js`: expected at most 8 dot-separated ASCII identifiers, at most 256 characters, got /,
      );
    }
  });

  it('refuses module ids that are not one printable ASCII token', async () => {
    for (const module of [
      '',
      './tаsks.js',
      './ta sks.js',
      './tasks.js\n',
      `./${'a'.repeat(1030)}.js`,
      7,
    ]) {
      const error = await refusal(ref({ module }));
      expect(error).toBeInstanceOf(ReferenceFormatError);
      expect(error.message).toMatch(
        /^Malformed module id in the reference to `add` in `.*`: expected printable ASCII without spaces, at most 1024 characters, got /,
      );
    }
  });

  it('refuses malformed digests and signatures', async () => {
    await expectRefusal(
      ref({ digest: digest.toUpperCase() }),
      ReferenceFormatError,
      `Malformed digest in ${where('./tasks.js')}: expected \`sha256:\` and 64 lowercase hex digits, got \`${JSON.stringify(`${digest.toUpperCase().slice(0, 57)}...`)}\` (string)`,
    );
    await expectRefusal(
      ref({ signature: 'hmac-sha256:xyz' }),
      ReferenceFormatError,
      `Malformed signature in ${where('./tasks.js')}: expected \`hmac-sha256:\` and 64 lowercase hex digits, got \`"hmac-sha256:xyz"\` (string)`,
    );
  });
});

describe('fromReference and module evaluation', () => {
  it('reads the namespace of a module that exports `then` without calling it', async () => {
    const { namespace } = await loadNamespace(
      new URL('then-export.js', root).href,
      'then-export.js',
    );
    const digestOfHelper = (await toReference(namespace.helper as Function, options)).digest;
    const helper = await fromReference(
      ref({ module: './then-export.js', qualname: 'helper', digest: digestOfHelper }),
      options,
    );
    expect(helper()).toBe('helper');
  });

  it('refuses a function with a `then`, which settling a promise with it would call', async () => {
    const { namespace } = await loadNamespace(
      new URL('then-export.js', root).href,
      'then-export.js',
    );
    const Thenable = namespace.Thenable as Function;
    await expect(toReference(Thenable, options)).rejects.toMatchObject({
      code: 'ERR_SELFSAME_NOT_REFERENCEABLE',
      message:
        "Can't serialize Thenable: it has a `then`, which `fromReference` settling its promise with it would call",
    });
    await expectRefusal(
      ref({ module: './then-export.js', qualname: 'Thenable', digest: digestOf(Thenable) }),
      ReferenceIdentityError,
      `Refused ${where('./then-export.js', 'Thenable')}: the function found has a \`then\`, which settling a promise with it would call`,
    );
  });

  it('reports a binding left uninitialised by a circular import, with the ReferenceError as cause', async () => {
    await fixture('tdz-a.js').catch(() => undefined);
    const error = await refusal(ref({ module: './tdz-holder.js', qualname: 'partner.late' }));
    expect(error).toBeInstanceOf(ReferenceResolveError);
    expect(error.message).toBe(
      `Cannot resolve ${where('./tdz-holder.js', 'partner.late')}: \`partner.late\` is not initialised (a circular import that has not finished evaluating)`,
    );
    expect(error.cause).toBeInstanceOf(ReferenceError);
  });

  it('reports a module that fails to evaluate, with its error as cause', async () => {
    const error = await refusal(ref({ module: './tdz-a.js', qualname: 'late' }));
    expect(error).toBeInstanceOf(ReferenceResolveError);
    expect(error.message).toBe(
      `Cannot resolve ${where('./tdz-a.js', 'late')}: importing the module failed`,
    );
    expect((error.cause as Error).message).toBe('tdz-a.js failed before `late` was initialised');
  });
});

describe('fromReference checks what it found', () => {
  it('refuses a digest mismatch', async () => {
    const error = await refusal(ref({ qualname: 'multiply' }));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error).toMatchObject({ expected: digest, actual: expect.not.stringMatching(digest) });
  });

  it('refuses an alias', async () => {
    await expectRefusal(
      ref({ qualname: 'plus' }),
      ReferenceIdentityError,
      `Refused ${where('./tasks.js', 'plus')}: the function found is \`add\`, not \`plus\` (an alias or a rebinding)`,
    );
  });

  it('refuses bound and native functions', async () => {
    for (const qualname of ['bound', 'native']) {
      await expectRefusal(
        ref({ qualname }),
        ReferenceIdentityError,
        `Refused ${where('./tasks.js', qualname)}: the name holds a native or bound function, which has no digest`,
      );
    }
  });

  it('refuses a bad signature before importing', async () => {
    const signature = `hmac-sha256:${'0'.repeat(64)}`;
    await expectRefusal(
      ref({ module: './once.js', qualname: 'once', signature }),
      SignatureError,
      `Refused ${where('./once.js', 'once')}: the signature does not verify with the given key`,
      { ...options, key: 'secret' },
    );
    expect(wires.inits['once.js']).toBeUndefined();
  });
});
