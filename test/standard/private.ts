// Private members, which only standard decorators can reach. Compiled by the real tsc in
// standard mode only (see test/setup/global-setup.ts).
import type { ExecutionRecord } from '../../src/index.js';

export const records: ExecutionRecord[] = [];
const sink = {
  logger: false,
  onRecord: (record: ExecutionRecord) => records.push(record),
} as const;

export class Vault {
  #secret = 7;

  @selfsame.trackExecutionTime(sink)
  #reveal(factor: number): number {
    return this.#secret * factor;
  }

  @selfsame.trackExecutionTime(sink)
  static #count(): number {
    return 1;
  }

  @selfsame.trackExecutionTime(sink)
  get #doubled(): number {
    return this.#secret * 2;
  }

  /** The private members, reached from inside the class. */
  open(): { reveal: Function; count: Function; doubled: number; revealed: number } {
    return {
      reveal: this.#reveal,
      count: Vault.#count,
      doubled: this.#doubled,
      revealed: this.#reveal(3),
    };
  }
}

/** A subclass: the qualname names the class that defined the member, not the instance's class. */
export class BigVault extends Vault {}
