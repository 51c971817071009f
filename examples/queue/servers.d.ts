// Types of servers.js, for the TypeScript tests that start servers with it.
export function freePort(): Promise<number>;
export function startPostgres(): Promise<{ url: string; port: number; stop: () => Promise<void> }>;
export function startRedis(): Promise<{ host: string; port: number; stop: () => Promise<void> }>;
export function ping(host: string, port: number): Promise<boolean>;
