/**
 * Starts Debian's Chromium (never a browser download) the way this machine allows: headless, no
 * sandbox (CI runs as root), no GPU, no background networking (the network is closed), and a
 * fresh profile directory. Missing Chromium fails the suite with the way to install it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where Chromium is looked for: `$SELFSAME_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.SELFSAME_CHROMIUM ?? '/usr/bin/chromium';

/** A running browser and the cleanup that stops it and deletes its profile. */
export interface Browser {
  readonly context: BrowserContext;
  /** Requests the pages made to anything but a `file:` URL (which the test route refused). */
  readonly network: string[];
  close(): Promise<void>;
}

/** Starts Chromium from `executable`; rejects, naming the way out, when it is not there. */
export async function startChromium(executable = CHROMIUM): Promise<Browser> {
  if (!existsSync(executable)) {
    throw new Error(
      `Chromium is missing: ${executable} does not exist. Install it with \`apt-get update && apt-get install -y chromium\` (Debian), or set SELFSAME_CHROMIUM to a Chromium binary. The browser suite never passes without a browser.`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'selfsame-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 560 },
    timeout: 60_000,
  });
  const network: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    network.push(url);
    return route.abort();
  });
  return {
    context,
    network,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
