import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each script runs in its own `node` process against the build, from its own folder (the default
// root), so that its top level is the entry module's. A script that hung would be killed here.
const folder = fileURLToPath(new URL('../fixtures/evaluating/', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { cwd: folder, timeout: 15_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const failed = error as (Error & { code?: unknown; signal?: unknown }) | null;
        resolve({
          code: failed === null ? 0 : typeof failed.code === 'number' ? failed.code : null,
          signal: (failed?.signal as NodeJS.Signals | undefined) ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

function diagnosis(qualname: string, script: string): string {
  return `Can't serialize ${qualname}: its module ./${script} is still evaluating (a top-level \`await\` in it is waiting for this call), so it can never be imported; call \`main()\` without \`await\`, guarded by \`if (isMainModule(import.meta))\``;
}

describe.concurrent('toReference called while its own module waits at a top-level `await`', () => {
  it.each([
    ['await-to-reference.js', 'its top level awaits the proof'],
    ['await-after-await.js', 'its top level awaits the proof after resuming from an `await`'],
    ['await-main.js', 'its top level awaits `main()`, which awaited before asking'],
  ])('rejects with the diagnosis when %s (%s)', async (script) => {
    const { code, signal, stdout, stderr } = await run(script);
    expect({ code, signal, stdout }).toEqual({ code: 1, signal: null, stdout: '' });
    expect(stderr).toContain(`\nNotReferenceableError: ${diagnosis('task', script)}\n`);
    expect(stderr).toContain("code: 'ERR_SELFSAME_NOT_REFERENCEABLE'");
  });

  it("rejects a pool's map with the diagnosis, and the pool closes", async () => {
    const { code, signal, stdout, stderr } = await run('await-pool-map.js');
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      name: 'NotReferenceableError',
      code: 'ERR_SELFSAME_NOT_REFERENCEABLE',
      message: diagnosis('double', 'await-pool-map.js'),
    });
  });

  it("reports an uncaught rejection of a pool's map while its workers run", async () => {
    const script = 'await-pool-map-uncaught.js';
    const { code, signal, stdout, stderr } = await run(script);
    expect({ code, signal, stdout }).toEqual({ code: 1, signal: null, stdout: '' });
    expect(stderr).toContain(`\nNotReferenceableError: ${diagnosis('double', script)}\n`);
  });

  it('makes the reference when the top level asks without awaiting it', async () => {
    expect(await run('then-without-await.js')).toEqual({
      code: 0,
      signal: null,
      stdout: '{"module":"./then-without-await.js","qualname":"task"}\n',
      stderr: '',
    });
  });

  it('runs a pool from `main()` called without `await` behind `isMainModule`', async () => {
    expect(await run('guarded-main.js')).toEqual({
      code: 0,
      signal: null,
      stdout: '[2,4,6]\n',
      stderr: '',
    });
  });
});
