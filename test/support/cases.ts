/**
 * Loads a decorator case compiled by the global setup. The compiled cases read the library from
 * the `selfsame` global; it is set here to the source modules vitest loads, so that a case and
 * its test share one copy of selfsame.
 */
import 'reflect-metadata';
import * as lib from '../../src/index.js';

/** A decorator mode, and the compiled output it is read from (`plain` uses the standard build). */
export type Mode = 'plain' | 'standard' | 'legacy';
export const MODES: readonly Mode[] = ['plain', 'standard', 'legacy'];

globalThis.selfsame = lib;

/** The URL of a case module compiled in `build` mode (`test/cases/x.ts` → `…/test/cases/x.js`). */
export function caseUrl(build: 'standard' | 'legacy', path: string): string {
  return new URL(`../../.build/cases/${build}/test/${path}`, import.meta.url).href;
}

/** Imports a compiled case module. */
export async function loadCase<T>(build: 'standard' | 'legacy', path: string): Promise<T> {
  return (await import(/* @vite-ignore */ caseUrl(build, path))) as T;
}
