/**
 * Worker processes for the real-server tests: each is `test/fixtures/queue/worker.js` on the
 * built package, started with a JSON config, and killed after the test whatever happens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNamespace } from '../../src/reference/load-module.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const workerScript = fileURLToPath(new URL('../fixtures/queue/worker.js', import.meta.url));
const READY_TIMEOUT = 30_000;

// biome-ignore lint/suspicious/noExplicitAny: fixture modules are plain JavaScript.
export type Fixture = Record<string, any>;

/** The task fixtures, loaded natively as the workers load them. */
export async function loadTasks(): Promise<Fixture> {
  const href = new URL('../fixtures/queue/tasks.js', import.meta.url).href;
  return (await loadNamespace(href, 'tasks.js')).namespace as Fixture;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Sends SIGTERM and resolves with the exit code once the process has exited. */
  terminate(): Promise<number | null>;
  /** Sends SIGKILL and resolves once the process has exited. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
const temporary: string[] = [];

/** Starts a worker process and resolves once it printed `ready`. */
export async function startWorker(config: object): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerScript, JSON.stringify(config)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  await waitFor(
    () => output.includes('ready\n') || child.exitCode !== null,
    READY_TIMEOUT,
    () => `worker never got ready:\n${output}`,
  );
  if (!output.includes('ready\n')) throw new Error(`worker exited before it was ready:\n${output}`);
  return {
    child,
    output: () => output,
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Kills every worker process still running and removes the temporary directories. */
export async function cleanUp(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary directory, removed by {@link cleanUp}. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'selfsame-queue-test-'));
  temporary.push(dir);
  return dir;
}

/** The lines of a file written by the tasks, or none when it does not exist yet. */
export function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    // Not written yet: no line.
    return [];
  }
}

/** Polls `condition` every 25 ms until it holds; throws `describe()` after `timeout` ms. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeout: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
