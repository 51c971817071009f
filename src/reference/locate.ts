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
    const { internalProperties = [] } = post<{
      internalProperties?: { name: string; value?: { value?: unknown } }[];
    }>('Runtime.getProperties', { objectId, ownProperties: true });
    const location = internalProperties.find((p) => p.name === '[[FunctionLocation]]')?.value
      ?.value as { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
    if (location === undefined) return undefined;
    return { ...location, url: scriptUrl(location.scriptId) };
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
