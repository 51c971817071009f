// reflect-metadata is imported in the middle of this file on purpose: the first tests run in a
// process where it is not loaded, the later ones after it was loaded after selfsame.
import { describe, expect, it } from 'vitest';
import { updateWrapper } from '../src/wraps.js';

type Metadata = {
  defineMetadata(key: unknown, value: unknown, target: object): void;
  getOwnMetadata(key: unknown, target: object): unknown;
  getOwnMetadataKeys(target: object): unknown[];
};
const metadata = () => Reflect as unknown as Metadata;

describe('metadata copying', () => {
  it('does nothing, and does not fail, when reflect-metadata is not loaded', () => {
    expect('getOwnMetadataKeys' in Reflect).toBe(false);
    function route() {}
    const wrapper = updateWrapper(function wrapper() {}, route);
    expect(wrapper.name).toBe('route');
  });

  it('uses any implementation of the reflect-metadata functions found on `Reflect`', () => {
    // A stand-in with reflect-metadata's signatures, as other polyfills (core-js,
    // @abraham/reflection) provide them; removed again before the real package is loaded.
    const table = new Map<object, Map<unknown, unknown>>();
    const entries = (target: object) =>
      table.get(target) ?? table.set(target, new Map()).get(target);
    const api = {
      getOwnMetadataKeys: (target: object) => [...(entries(target)?.keys() ?? [])],
      getOwnMetadata: (key: unknown, target: object) => entries(target)?.get(key),
      defineMetadata: (key: unknown, value: unknown, target: object) => {
        entries(target)?.set(key, value);
      },
    };
    Object.assign(Reflect, api);
    try {
      function route() {}
      api.defineMetadata('path', '/birds', route);
      const wrapper = updateWrapper(function wrapper() {}, route);
      expect(api.getOwnMetadataKeys(wrapper)).toEqual(['path']);
      expect(api.getOwnMetadata('path', wrapper)).toBe('/birds');
    } finally {
      for (const name of Object.keys(api)) Reflect.deleteProperty(Reflect, name);
    }
  });

  it('does nothing when only part of the reflect-metadata functions exist', () => {
    let calls = 0;
    Object.assign(Reflect, {
      getOwnMetadataKeys: () => {
        calls += 1;
        return ['path'];
      },
    });
    try {
      const wrapper = updateWrapper(
        function wrapper() {},
        function route() {},
      );
      expect(wrapper.name).toBe('route');
      expect(calls).toBe(0);
    } finally {
      Reflect.deleteProperty(Reflect, 'getOwnMetadataKeys');
    }
  });

  it('copies string and symbol keys when reflect-metadata is loaded after selfsame', async () => {
    await import('reflect-metadata');
    const roles = Symbol('roles');
    function route() {}
    metadata().defineMetadata('path', '/cats', route);
    metadata().defineMetadata(roles, ['admin'], route);
    const wrapper = updateWrapper(function wrapper() {}, route);
    expect(metadata().getOwnMetadataKeys(wrapper)).toEqual(['path', roles]);
    expect(metadata().getOwnMetadata('path', wrapper)).toBe('/cats');
    expect(metadata().getOwnMetadata(roles, wrapper)).toBe(metadata().getOwnMetadata(roles, route));
  });

  it('copies no metadata with `updated: []`', () => {
    function route() {}
    metadata().defineMetadata('path', '/dogs', route);
    const wrapper = updateWrapper(function wrapper() {}, route, { updated: [] });
    expect(metadata().getOwnMetadataKeys(wrapper)).toEqual([]);
  });
});
