import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const program = fileURLToPath(new URL('./fixtures/pool/ts-program/', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url));

describe('a TypeScript program using the pool, run the README way', () => {
  it('compiles with tsc, runs with node, and its workers run the decorated method', () => {
    // Exactly the README's two steps: `npx tsc`, then `node build/main.js`.
    execFileSync(tsc, [], { cwd: program, encoding: 'utf8' });
    const output = execFileSync(process.execPath, ['build/main.js'], {
      cwd: program,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({ counts: [2, 3], inWorkers: true });
  });
});
