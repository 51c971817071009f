import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('../fixtures/pool/loaded-modules.js', import.meta.url));

describe('the `selfsame/timeline` entry', () => {
  it('loads no `node:` module and no CommonJS file (it runs wherever the core runs)', () => {
    const loaded = JSON.parse(
      execFileSync(process.execPath, [probe, 'selfsame/timeline'], { encoding: 'utf8' }),
    );
    expect(loaded).toEqual({ builtins: [], files: [] });
  });
});
