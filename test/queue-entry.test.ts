import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('./fixtures/pool/loaded-modules.js', import.meta.url));
const ENGINE = /[/\\]node_modules[/\\](bullmq|pg-boss|ioredis|pg|pg-pool)[/\\]/;

/** The engine files importing `specifier` loads, measured in a fresh Node process. */
function enginesLoadedBy(specifier: string): string[] {
  const { files } = JSON.parse(
    execFileSync(process.execPath, [probe, specifier], { encoding: 'utf8' }),
  ) as {
    files: string[];
  };
  return [
    ...new Set(files.map((file) => ENGINE.exec(file)?.[1]).filter((name) => name !== undefined)),
  ].sort();
}

describe('the `selfsame/queue` entry and the engines', () => {
  it('importing `selfsame` loads no engine', () => {
    expect(enginesLoadedBy('selfsame')).toEqual([]);
  });

  it('importing `selfsame/pool` loads no engine', () => {
    expect(enginesLoadedBy('selfsame/pool')).toEqual([]);
  });

  it('importing `selfsame/queue` loads no engine either: BullMQ is imported on first use', () => {
    expect(enginesLoadedBy('selfsame/queue')).toEqual([]);
  });

  it('the probe does see an engine when one is imported', () => {
    expect(enginesLoadedBy('bullmq')).toContain('bullmq');
    expect(enginesLoadedBy('pg-boss')).toEqual(['pg', 'pg-boss', 'pg-pool']);
  });
});
