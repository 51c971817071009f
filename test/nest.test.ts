/**
 * A real NestJS application (test/legacy/nest-app.ts, compiled by the real tsc in legacy mode
 * with `emitDecoratorMetadata`), started on loopback once for this file and closed after it.
 */
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ExecutionRecord, identityOf } from '../src/index.js';
import { caseUrl, loadCase } from './support/cases.js';

type Handler = 'list' | 'one' | 'create';

/** The exports of test/legacy/nest-app.ts, declared: the standard-mode typecheck must not read it. */
interface NestCase {
  records: ExecutionRecord[];
  decisions: string[];
  ROLE: string;
  RoleGuard: Function;
  TasksController: { prototype: Record<Handler, Function> };
  Reflector: new (...args: never[]) => { get(key: string, target: Function): unknown };
  start(): Promise<{ app: INestApplication; url: string }>;
}

let nest: NestCase;
let app: INestApplication;
let url: string;

beforeAll(async () => {
  nest = await loadCase<NestCase>('legacy', 'legacy/nest-app.js');
  ({ app, url } = await nest.start());
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  nest.records.length = 0;
  nest.decisions.length = 0;
});

async function request(method: string, path: string, role: string, body?: object) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'x-role': role, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe.each([
  ['above', 'list', 'GET', '/tasks', 'reader', undefined, 200, ['write the cases', 'run them']],
  ['below', 'one', 'GET', '/tasks/7', 'reader', undefined, 200, { id: '7' }],
  [
    'in the middle, async',
    'create',
    'POST',
    '/tasks',
    'writer',
    { name: 'bench' },
    201,
    { created: 'bench' },
  ],
] as const)(
  'NestJS, selfsame %s the Nest decorators',
  (_, handler, method, path, role, body, status, expected) => {
    it('routes the request to its handler and times it', async () => {
      expect(await request(method, path, role, body)).toEqual({ status, body: expected });
      expect(nest.records).toEqual([
        expect.objectContaining({
          qualname: `TasksController.${handler}`,
          outcome: 'ok',
          threadId: 0,
        }),
      ]);
    });

    it('runs the guard, which reads the handler’s metadata and can deny', async () => {
      const denied = await request(method, path, 'nobody', body);
      expect(denied).toEqual({
        status: 403,
        body: { statusCode: 403, message: 'Forbidden resource', error: 'Forbidden' },
      });
      expect(nest.decisions).toEqual([`${handler}:${role}:false`]);
      expect(nest.records).toEqual([]);
    });

    it('keeps the metadata readable through `Reflector`', () => {
      const reflector = app.get(nest.Reflector);
      const fn = nest.TasksController.prototype[handler];
      expect(reflector.get(nest.ROLE, fn)).toBe(role);
      expect(reflector.get('path', fn)).toBe(path === '/tasks/7' ? ':id' : '/');
      expect(reflector.get('method', fn)).toBe(method === 'GET' ? 0 : 1);
      expect(reflector.get('__guards__', fn)).toEqual([nest.RoleGuard]);
    });

    it('keeps the handler’s identity and `design:*` metadata', () => {
      const proto = nest.TasksController.prototype;
      expect(identityOf(proto[handler])).toMatchObject({
        name: handler,
        qualname: `TasksController.${handler}`,
        module: caseUrl('legacy', 'legacy/nest-app.js'),
      });
      expect(Reflect.getMetadata('design:paramtypes', proto, handler)).toEqual(
        handler === 'list' ? [] : [handler === 'one' ? String : Object],
      );
    });
  },
);
