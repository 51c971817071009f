/**
 * Where V8 says a function was defined, for functions nobody registered: the internal
 * `[[FunctionLocation]]` (script id, line, column) read through an in-thread `node:inspector`
 * session, and the Debugger domain's map from script id to URL and source. Every call is
 * synchronous: an in-thread session answers before `post` returns.
 */
import { inspector } from './node.js';

/** A function's definition site. */
export interface FunctionLocation {
  readonly scriptId: string;
  /** The script's URL (`file:///…` for a module file; empty for `eval` code). */
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

type Session = InstanceType<ReturnType<typeof inspector>['Session']>;

const HANDLE = Symbol.for('selfsame.inspect');
const OBJECT_GROUP = 'selfsame.locate';
let session: Session | undefined;
const scriptUrls = new Map<string, string>();

function post<T>(method: string, params: object = {}): T {
  session ??= connect();
  let answered = false;
  let failure: Error | null = null;
  let result: unknown;
  session.post(method, params, (error: Error | null, value: unknown) => {
    answered = true;
    failure = error;
    result = value;
  });
  if (!answered) throw new Error(`node:inspector did not answer \`${method}\` synchronously`);
  if (failure !== null) throw failure;
  return result as T;
}

function connect(): Session {
  const created = new (inspector().Session)();
  created.connect();
  created.on('Debugger.scriptParsed', (message: { params: { scriptId: string; url: string } }) => {
    scriptUrls.set(message.params.scriptId, message.params.url);
  });
  return created;
}

/** The definition site of `fn`, or `undefined` when V8 reports none (native, bound). */
export function locate(fn: Function): FunctionLocation | undefined {
  return inspect(fn, (internal) => {
    const location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as
      | { scriptId: string; lineNumber: number; columnNumber: number }
      | undefined;
    return location === undefined ? undefined : { ...location, url: scriptUrl(location.scriptId) };
  });
}

/**
 * The functions whose scopes `fn` closes over, outermost first, as V8's `[[Scopes]]` names
 * them (`Closure (naive)`): `''` for an anonymous one. V8 keeps a function's scope only when
 * an inner function captures one of its variables, so an enclosing function whose variables
 * nothing captures is not listed; a decorator's wrapper always captures the function it wraps.
 */
export function closureNames(fn: Function): string[] {
  return inspect(fn, (internal) => {
    const objectId = internal.find((p) => p.name === '[[Scopes]]')?.value?.objectId;
    if (objectId === undefined) return [];
    const { result = [] } = post<{
      result?: { name: string; value?: { description?: string } }[];
    }>('Runtime.getProperties', { objectId, ownProperties: true });
    const names: string[] = [];
    for (const scope of result) {
      const match = /^Closure(?: \((.*)\))?$/.exec(scope.value?.description ?? '');
      if (/^\d+$/.test(scope.name) && match !== null) names.unshift(match[1] ?? '');
    }
    return names;
  });
}

interface InternalProperty {
  readonly name: string;
  readonly value?: { readonly value?: unknown; readonly objectId?: string };
}

/** Runs `read` on `fn`'s internal properties, releasing every remote object afterwards. */
function inspect<T>(fn: Function, read: (internal: readonly InternalProperty[]) => T): T {
  const handle = globalThis as { [HANDLE]?: Function };
  handle[HANDLE] = fn;
  let objectId: string | undefined;
  try {
    ({
      result: { objectId },
    } = post<{ result: { objectId?: string } }>('Runtime.evaluate', {
      expression: 'globalThis[Symbol.for("selfsame.inspect")]',
      objectGroup: OBJECT_GROUP,
    }));
  } finally {
    delete handle[HANDLE];
  }
  try {
    const { internalProperties = [] } = post<{ internalProperties?: InternalProperty[] }>(
      'Runtime.getProperties',
      { objectId, ownProperties: true },
    );
    return read(internalProperties);
  } finally {
    post('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP });
  }
}

/** The URL of a script; the Debugger domain is enabled only to learn scripts not seen yet. */
function scriptUrl(scriptId: string): string {
  let known = scriptUrls.get(scriptId);
  if (known === undefined) {
    // Enabling replays `scriptParsed` for every script already loaded, synchronously.
    withDebugger(() => undefined);
    known = scriptUrls.get(scriptId) ?? '';
  }
  return known;
}

/** The source text of a script (the inspector throws for an unknown script id). */
export function scriptSource(scriptId: string): string {
  return withDebugger(
    () => post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId }).scriptSource,
  );
}

function withDebugger<T>(run: () => T): T {
  post('Debugger.enable');
  try {
    return run();
  } finally {
    // Left enabled, the debugger would slow the whole process.
    post('Debugger.disable');
  }
}

/** The character offset in `source` of a 0-based line and column. */
export function offsetOf(source: string, lineNumber: number, columnNumber: number): number {
  let offset = 0;
  for (let line = 0; line < lineNumber; line++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) return source.length;
    offset = next + 1;
  }
  return offset + columnNumber;
}
