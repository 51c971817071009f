import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root } from './harness.js';

describe('npm run demo:queue: the seed article across processes', () => {
  it('two worker processes count the words, and the producer prints the results in order', () => {
    const output = execFileSync(process.execPath, ['examples/queue/word-count.js'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 90_000,
    });
    const lines = output.trim().split('\n');
    expect(lines.filter((line) => /^Worker process \d+ ready$/.test(line))).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('Duration of meaninglessTask: '))).toHaveLength(
      2,
    );
    expect(lines.at(-1)).toBe('Word count results: [1, 2]');
  });
});
