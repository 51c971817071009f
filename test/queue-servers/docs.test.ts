// The ```ts queue blocks of the README and docs/ (compiled by test/docs-code-blocks.test.ts
// with the others) run here, where a PostgreSQL and a Redis server are up: each block is a
// whole program, run with node against the servers named in its environment.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis } from '../../examples/queue/servers.js';
import { DOC_BLOCK_COMPILER_OPTIONS } from '../support/doc-blocks.js';
import { root } from './harness.js';

const work = `${root}.build/queue-doc-blocks/`;
const guides = ['README.md', ...readdirSync(`${root}docs`).map((name) => `docs/${name}`)].filter(
  (name) => name.endsWith('.md'),
);
const blocks = guides.flatMap((guide) =>
  [
    ...readFileSync(`${root}${guide}`, 'utf8').matchAll(
      /^```ts queue(?: files=(\S+))?\n([\s\S]*?)^```$/gm,
    ),
  ].map((match, index) => ({
    where: `${guide} block ${index + 1}`,
    file: `${guide.replace(/\W+/g, '-')}-${index + 1}.ts`,
    files: match[1]?.split(',') ?? [],
    source: match[2] ?? '',
  })),
);

let servers: [Awaited<ReturnType<typeof startPostgres>>, Awaited<ReturnType<typeof startRedis>>];

describe('the queue code blocks of the guides', () => {
  beforeAll(async () => {
    servers = await Promise.all([startPostgres(), startRedis()]);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(
      `${work}tsconfig.json`,
      JSON.stringify({
        compilerOptions: DOC_BLOCK_COMPILER_OPTIONS,
        include: ['*.ts'],
      }),
    );
    for (const block of blocks) {
      writeFileSync(`${work}${block.file}`, block.source);
      for (const file of block.files) cpSync(`${root}test/fixtures/docs/${file}`, `${work}${file}`);
    }
    execFileSync(`${root}node_modules/.bin/tsc`, ['-p', '.'], { cwd: work, encoding: 'utf8' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all((servers ?? []).map((server) => server.stop()));
  });

  it('there are some', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((block) => [block.where, block] as const))(
    '%s runs with node',
    (_, block) => {
      const [postgres, redis] = servers;
      const output = execFileSync(process.execPath, [block.file.replace(/\.ts$/, '.js')], {
        cwd: work,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          DATABASE_URL: postgres.url,
          REDIS_PORT: String(redis.port),
          QUEUE_KEY: 'doc-key',
        },
      });
      // Each block says what it prints in its comments: `console.log(x); // value`.
      const promised = [...block.source.matchAll(/console\.log\(.*\); \/\/ (.+)$/gm)].map(
        (match) => match[1],
      );
      const printed = output
        .split('\n')
        .filter(
          (line) =>
            promised.length > 0 && !/^(Starting|Ending|Duration) /.test(line) && line !== '',
        );
      expect(printed.slice(-promised.length)).toEqual(promised);
    },
    90_000,
  );
});
